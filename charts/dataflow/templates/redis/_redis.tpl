{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), templates/redis/_redis.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Helpers of the built-in Redis.
-#}
{#-
  dataflow.redis.password: the password of the built-in Redis (used with redis.requirePass):
  the existing Secret's, else one drawn from the CSPRNG (common.randomPassword, dict form).
  arg: ctx
-#}
{% macro dataflow_redis_password(ctx) -%}
{%- set redis = include("common.service", dict("ctx", ctx, "service", "redis")) | fromYaml -%}
{{- include("common.randomPassword", dict("ctx", ctx, "name", include("common.names.custom", list(ctx, redis.name)), "key", "REDIS_PASSWD")) -}}
{%- endmacro %}

{#-
  wait-for-redis: an init container that waits until Redis answers PING.
  arg: dict(ctx=ctx, service=SERVICE_VALUES)
-#}
{% macro wait_for_redis(arg) %}
{% set ctx = arg.ctx %}
{% set service = arg.service %}
{% set redisSvc = include("common.service", dict("ctx", ctx, "service", "redis")) | fromYaml %}
{% set redisConfig = include("common.redis.config", dict("ctx", ctx, "service", service)) | fromYaml %}

- name: wait-for-redis
  image: {{ include("common.image", list(ctx, redisSvc.image)) }}
  imagePullPolicy: {{ (redisSvc.image.pullPolicy or ctx.Values.global.image.pullPolicy) | quote }}
  command:
    - /bin/sh
    - -c
    - |
{% if (ctx.Values.global.redis.enabled and redisSvc.requirePass) or (not ctx.Values.global.redis.enabled and redisConfig.password) %}
      until redis-cli -h {{ redisConfig.host }} -p {{ redisConfig.port }} -a {{ redisConfig.password }} ping | grep -q "PONG";
{% else %}
      until redis-cli -h {{ redisConfig.host }} -p {{ redisConfig.port }} ping | grep -q "PONG";
{% endif %}
      do
        echo 'Waiting for Redis to be ready...';
        sleep 5;
      done
      echo 'Redis is ready!'
{%- endmacro %}
