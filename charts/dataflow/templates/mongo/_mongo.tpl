{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), templates/mongo/_mongo.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Helpers of the built-in MongoDB.
-#}
{#-
  dataflow.mongo.password: the root password of the built-in MongoDB. An existing Secret
  keeps its value; otherwise mongo.auth.password, otherwise one drawn from the CSPRNG.
  (Upstream draws the Secret's password from the user name and the config's from "root",
  so they disagree when only mongo.auth.user is set; here both come from this helper.)
  arg: ctx
-#}
{% macro dataflow_mongo_password(ctx) -%}
{%- set mongo = include("common.service", dict("ctx", ctx, "service", "mongo")) | fromYaml -%}
{%- set name = include("common.names.custom", list(ctx, mongo.name)) -%}
{%- set existing = lookup("v1", "Secret", ctx.Release.Namespace, name) -%}
{%- set given = dig("auth", "password", "", mongo) -%}
{%- if given and not dig("data", "MONGO_INITDB_ROOT_PASSWORD", "", existing) -%}
{{- given -}}
{%- else -%}
{{- include("common.randomPassword", dict("ctx", ctx, "name", name, "key", "MONGO_INITDB_ROOT_PASSWORD")) -}}
{%- endif -%}
{%- endmacro %}

{#-
  wait-for-mongo: an init container that waits until MongoDB answers a ping.
  arg: dict(ctx=ctx, service=SERVICE_VALUES)
-#}
{% macro wait_for_mongo(arg) %}
{% set ctx = arg.ctx %}
{% set service = arg.service %}
{% set mongoSvc = include("common.service", dict("ctx", ctx, "service", "mongo")) | fromYaml %}
{% set mongoConfig = include("common.mongo.config", dict("ctx", ctx, "service", service)) | fromYaml %}

- name: wait-for-mongo
  image: {{ include("common.image", list(ctx, mongoSvc.image)) }}
  imagePullPolicy: {{ (mongoSvc.image.pullPolicy or ctx.Values.global.image.pullPolicy) | quote }}
  command:
    - /bin/sh
    - -c
    - |
{% set mongoHost = printf("mongodb://%s:%s@%s:%v", mongoConfig.user, mongoConfig.password, mongoConfig.host, mongoConfig.port) %}
      until mongosh {{ mongoHost }}/admin --eval "db.adminCommand('ping')" | grep "ok.*1";
      do
        echo 'Waiting for MongoDB to be ready...';
        sleep 5;
      done
      echo 'MongoDB is ready!'
{%- endmacro %}
