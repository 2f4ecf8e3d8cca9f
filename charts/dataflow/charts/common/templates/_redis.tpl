{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_redis.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Redis connection settings of a component, printed as YAML (read back with fromYaml).
  include("common.redis.config", dict("ctx", ctx, "service", service))
  Order: the built-in Redis (its Secret's REDIS_PASSWD when the Secret exists, else the
  generated password) < global.redis.external (when the built-in one is off) < the
  component's own "redis" section.
-#}
{% macro common_redis_config(arg) %}
{%- set service = arg.service -%}
{%- set c = arg.ctx -%}
{%- set redisSvc = include("common.service", dict("ctx", c, "service", "redis")) | fromYaml -%}
{%- set redisName = include("common.names.custom", list(c, redisSvc.name)) -%}
{%- set config = dict(
  "host", redisName,
  "port", dig("service", "port", 6379, redisSvc),
  "database", dig("redis", "database", "0", service),
  "user", "default",
  "password", include("common.randomPassword", dict("ctx", c, "name", redisName, "key", "REDIS_PASSWD"))) -%}
{%- if c.Values.global.redis.enabled -%}
  {%- set secret = lookup("v1", "Secret", c.Release.Namespace, redisName) -%}
  {%- if secret and secret.data and index(secret.data, "REDIS_PASSWD") -%}
    {%- set _ = set(config, "password", index(secret.data, "REDIS_PASSWD") | b64dec) -%}
  {%- endif -%}
{%- else -%}
  {%- if c.Values.global.redis.external -%}
    {%- set e = c.Values.global.redis.external -%}
    {%- set config = merge(dict(
      "host", e.host | default(config.host),
      "port", e.port | default(config.port),
      "database", e.database | default(config.database),
      "user", e.user | default(config.user),
      "password", e.password | default(config.password)), config) -%}
  {%- endif -%}
{%- endif -%}
{%- if service.redis -%}
  {%- set e = service.redis -%}
  {%- set config = merge(dict(
    "host", e.host | default(config.host),
    "port", e.port | default(config.port),
    "database", e.database | default(config.database),
    "user", e.user | default(config.user),
    "password", e.password | default(config.password)), config) -%}
{%- endif -%}
{%- if not config.password -%}
  {{- fail("Redis password must be set") -}}
{%- endif -%}
{%- if not config.host -%}
  {{- fail("Redis host must be set") -}}
{%- endif -%}
{{- config | toYaml -}}
{% endmacro %}
