{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_mongo.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  MongoDB connection settings of a component, printed as YAML (read back with fromYaml).
  include("common.mongo.config", dict("ctx", ctx, "service", service))
  Order: the built-in MongoDB (mongo.auth, or its Secret's root user and password when the
  Secret exists, else user root and the generated password) < global.mongo.external (when
  the built-in one is off) < the component's own "mongo" section.
-#}
{% macro common_mongo_config(arg) %}
{%- set service = arg.service -%}
{%- set c = arg.ctx -%}
{%- set mongoSvc = include("common.service", dict("ctx", c, "service", "mongo")) | fromYaml -%}
{%- set mongoName = include("common.names.custom", list(c, mongoSvc.name)) -%}
{%- set config = dict(
  "host", mongoName,
  "port", dig("service", "port", 27017, mongoSvc),
  "user", dig("auth", "user", "root", mongoSvc),
  "password", dig("auth", "password", include("common.randomPassword", dict("ctx", c, "name", mongoName, "key", "MONGO_INITDB_ROOT_PASSWORD")), mongoSvc)) -%}
{%- if c.Values.global.mongo.enabled -%}
  {%- set secret = lookup("v1", "Secret", c.Release.Namespace, mongoName) -%}
  {%- if secret and secret.data and index(secret.data, "MONGO_INITDB_ROOT_USERNAME") -%}
    {%- set _ = set(config, "user", index(secret.data, "MONGO_INITDB_ROOT_USERNAME") | b64dec) -%}
  {%- endif -%}
  {%- if secret and secret.data and index(secret.data, "MONGO_INITDB_ROOT_PASSWORD") -%}
    {%- set _ = set(config, "password", index(secret.data, "MONGO_INITDB_ROOT_PASSWORD") | b64dec) -%}
  {%- endif -%}
{%- else -%}
  {%- if c.Values.global.mongo.external -%}
    {%- set e = c.Values.global.mongo.external -%}
    {%- set config = merge(dict(
      "host", e.host | default(config.host),
      "port", e.port | default(config.port),
      "user", e.user | default(config.user),
      "password", e.password | default(config.password)), config) -%}
  {%- endif -%}
{%- endif -%}
{%- if service.mongo -%}
  {%- set e = service.mongo -%}
  {%- set config = merge(dict(
    "host", e.host | default(config.host),
    "port", e.port | default(config.port),
    "user", e.user | default(config.user),
    "password", e.password | default(config.password)), config) -%}
{%- endif -%}
{%- if not config.password -%}
  {{- fail("Mongo password must be set") -}}
{%- endif -%}
{%- if not config.host -%}
  {{- fail("Mongo host must be set") -}}
{%- endif -%}
{{- config | toYaml -}}
{% endmacro %}
