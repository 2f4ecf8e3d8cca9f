{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_postgres.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  PostgreSQL connection settings of a component, printed as YAML (read back with fromYaml).
  include("common.postgresql.config", dict("ctx", ctx, "service", service))
  Order: the built-in PostgreSQL (its Secret's password when the Secret exists, else the
  generated one) < global.postgresql.external (when the built-in one is off) < the
  component's own "postgresql" section. The database defaults to RELEASE_COMPONENT.
-#}
{% macro common_postgresql_config(arg) %}
{%- set service = arg.service -%}
{%- set c = arg.ctx -%}
{%- set postgresSvc = include("common.service", dict("ctx", c, "service", "postgresql")) | fromYaml -%}
{%- set postgresqlName = include("common.names.custom", list(c, postgresSvc.name)) -%}
{%- set serviceName = include("common.names.custom", list(c, service.name)) -%}
{%- set config = dict(
  "host", postgresqlName,
  "port", dig("service", "port", 5432, postgresSvc),
  "user", "csghub",
  "password", include("common.randomPassword", dict("ctx", c, "name", postgresqlName, "key", "POSTGRES_PASSWORD")),
  "database", dig("postgresql", "database", serviceName | replace("-", "_"), service),
  "timezone", "Etc/UTC",
  "sslmode", "disable") -%}
{%- if c.Values.global.postgresql.enabled -%}
  {%- set secret = lookup("v1", "Secret", c.Release.Namespace, postgresqlName) -%}
  {%- if secret and secret.data and index(secret.data, "POSTGRES_PASSWORD") -%}
    {%- set _ = set(config, "password", index(secret.data, "POSTGRES_PASSWORD") | b64dec) -%}
  {%- endif -%}
{%- else -%}
  {%- if c.Values.global.postgresql.external -%}
    {%- set e = c.Values.global.postgresql.external -%}
    {%- set config = merge(dict(
      "host", e.host | default(config.host),
      "port", e.port | default(config.port),
      "user", e.user | default(config.user),
      "password", e.password | default(config.password),
      "database", e.database | default(config.database),
      "timezone", e.timezone | default(config.timezone),
      "sslmode", e.sslmode | default(config.sslmode)), config) -%}
  {%- endif -%}
{%- endif -%}
{%- if service.postgresql -%}
  {%- set e = service.postgresql -%}
  {%- set config = merge(dict(
    "host", e.host | default(config.host),
    "port", e.port | default(config.port),
    "user", e.user | default(config.user),
    "password", e.password | default(config.password),
    "database", e.database | default(config.database),
    "timezone", e.timezone | default(config.timezone),
    "sslmode", e.sslmode | default(config.sslmode)), config) -%}
{%- endif -%}
{%- if not config.password -%}
  {{- fail("PostgreSQL password must be set") -}}
{%- endif -%}
{%- if not config.host -%}
  {{- fail("PostgreSQL host must be set") -}}
{%- endif -%}
{%- if not config.database -%}
  {{- fail("PostgreSQL database name must be set") -}}
{%- endif -%}
{{- config | toYaml -}}
{% endmacro %}

{#
  postgresql://USER:PASSWORD@HOST:PORT/DATABASE?sslmode=MODE for a component.
  include("csghub.postgresql.dsn", dict("ctx", ctx, "service", service))
#}
{% macro csghub_postgresql_dsn(arg) %}
{%- set config = include("common.postgresql.config", dict("ctx", arg.ctx, "service", arg.service)) | fromYaml -%}
{{- printf("postgresql://%s:%s@%s:%s/%s?sslmode=%s", config.user, config.password, config.host, config.port | toString, config.database, config.sslmode) -}}
{% endmacro %}
