{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), templates/postgresql/_postgres.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Helpers of the built-in PostgreSQL.
-#}
{#-
  dataflow.postgresql.password: the password of the built-in PostgreSQL's `csghub` user: the
  existing Secret's when there is one (lookup), else drawn once per render from the CSPRNG
  (common.randomPassword's dict form, whose memo the connection settings share).
  Upstream hashes the current minute instead; see README.md, "Fixed upstream defects".
  arg: ctx
-#}
{% macro dataflow_postgresql_password(ctx) -%}
{%- set pg = include("common.service", dict("ctx", ctx, "service", "postgresql")) | fromYaml -%}
{{- include("common.randomPassword", dict("ctx", ctx, "name", include("common.names.custom", list(ctx, pg.name)), "key", "POSTGRES_PASSWORD")) -}}
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
