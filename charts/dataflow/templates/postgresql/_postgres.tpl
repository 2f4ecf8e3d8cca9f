{#-
  Helpers of the built-in PostgreSQL.
-#}
{#-
  dataflow.secret.value: the plain value of a generated credential, stable for a release.
  arg: dict(ctx=ctx, name=SECRET_NAME, key=DATA_KEY, length=N)
  1. The Secret SECRET_NAME already in the release namespace (`lookup`) keeps its value.
  2. Otherwise the value is drawn once per render from the CSPRNG (randAlphaNum) and kept
     in a render-wide memo (a map in Values, which every template of the chart shares, as
     in Helm), so the Secret and the ConfigMaps that repeat the credential agree.
  Upstream derives these from the current minute instead (predictable, and different on
  every render); see README.md, "Fixed upstream defects".
-#}
{% macro dataflow_secret_value(arg) -%}
{%- set existing = lookup("v1", "Secret", arg.ctx.Release.Namespace, arg.name) -%}
{%- set current = dig("data", arg.key, "", existing) -%}
{%- if current -%}
{{- current | b64dec -}}
{%- else -%}
{%- if not hasKey(arg.ctx.Values, "__generatedCredentials") -%}
{%- set _ = set(arg.ctx.Values, "__generatedCredentials", dict()) -%}
{%- endif -%}
{%- set memo = arg.ctx.Values["__generatedCredentials"] -%}
{%- set memoKey = arg.name ~ "/" ~ arg.key -%}
{%- if not hasKey(memo, memoKey) -%}
{%- set _ = set(memo, memoKey, randAlphaNum(arg.length | default(32))) -%}
{%- endif -%}
{{- memo[memoKey] -}}
{%- endif -%}
{%- endmacro %}

{#-
  dataflow.postgresql.password: the password of the built-in PostgreSQL's `csghub` user.
  arg: ctx
-#}
{% macro dataflow_postgresql_password(ctx) -%}
{%- set pg = include("common.service", dict("ctx", ctx, "service", "postgresql")) | fromYaml -%}
{{- include("dataflow.secret.value", dict("ctx", ctx, "name", include("common.names.custom", list(ctx, pg.name)), "key", "POSTGRES_PASSWORD", "length", 32)) -}}
{%- endmacro %}

{#-
  wait-for-postgresql: an init container that waits until PostgreSQL answers.
  arg: dict(ctx=ctx, service=SERVICE_VALUES)
-#}
{% macro wait_for_postgresql(arg) %}
{% set ctx = arg.ctx %}
{% set service = arg.service %}

- name: wait-for-postgresql
  image: {{ include("common.image.fixed", dict("ctx", ctx, "service", "", "image", "opencsghq/psql:latest")) }}
  imagePullPolicy: {{ (service.image.pullPolicy or ctx.Values.global.image.pullPolicy) | quote }}
  command:
    - /bin/sh
    - -c
    - |
      until psql {{ include("csghub.postgresql.dsn", dict("service", service, "ctx", ctx)) | quote }} -c 'SELECT 1';
      do
        echo 'Waiting for PostgreSQL to be ready...';
        sleep 5;
      done;
      echo 'PostgreSQL is ready!'
{%- endmacro %}
