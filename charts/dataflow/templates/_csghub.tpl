{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), templates/_csghub.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Endpoints and helpers shared with the CSGHub chart family. -#}

{# global.gateway.external.domain, or nothing. #}
{% macro common_domain_csghub(arg) %}
{%- set domain = "" -%}
{%- if hasKey(arg.Values.global.gateway, "external") -%}
  {%- if hasKey(arg.Values.global.gateway.external, "domain") -%}
    {%- set domain = arg.Values.global.gateway.external.domain -%}
  {%- endif -%}
{%- endif -%}
{{- domain -}}
{% endmacro %}

{#
  The public domain: global.gateway.external.public when set; else csghub.DOMAIN when the
  domain has at most two labels (to keep wildcard routes off the whole second-level domain);
  else the domain itself.
#}
{% macro common_domain_public(arg) %}
{%- set base = include("common.domain.csghub", arg) -%}
{%- set publicDomain = base -%}
{%- set custom = dig("external", "public", "", arg.Values.global.gateway) -%}
{%- if splitList(".", base) | length <= 2 -%}
  {%- set publicDomain = printf("csghub.%s", base) -%}
{%- endif -%}
{%- if custom -%}
  {%- set publicDomain = custom -%}
{%- endif -%}
{{- publicDomain -}}
{% endmacro %}

{# The CSGHub URL behind the gateway (scheme and NodePort from the gateway settings). #}
{% macro common_endpoint_csghub(arg) %}
{{- include("common.endpoint", dict("ctx", arg, "domain", include("common.domain.csghub", arg))) -}}
{% endmacro %}

{# The public URL behind the gateway. #}
{% macro common_endpoint_public(arg) %}
{{- include("common.endpoint", dict("ctx", arg, "domain", include("common.domain.public", arg))) -}}
{% endmacro %}

{#
  A component's image settings merged over Values.image, with the tag given its edition
  suffix (common.image.tag); printed as YAML.
  include("csghub.service.image", dict("ctx", ctx, "service", Values.rproxy))
#}
{% macro csghub_service_image(arg) %}
{%- set service = arg.service -%}
{%- set c = arg.ctx -%}
{%- set baseImage = deepCopy(c.Values.image | default(dict())) -%}
{%- set serviceImage = deepCopy(service.image | default(dict())) -%}
{%- set tag = dig("image", "tag", "", service) or baseImage.tag or c.Values.global.image.tag -%}
{%- set finalTag = include("common.image.tag", dict("ctx", c, "tag", tag)) -%}
{%- set merged = mergeOverwrite(baseImage, serviceImage) -%}
{%- set _ = set(merged, "tag", finalTag) -%}
{{- merged | toYaml -}}
{% endmacro %}

{#
  Init container that waits until the CSGHub server answers on /healthz.
  include("wait-for-server", ctx) -- the text starts with a newline, as upstream's did.
#}
{% macro wait_for_server(arg) %}
{% set service = include("common.service", dict("ctx", arg, "service", "server")) | fromYaml %}
{% set serviceName = include("common.names.custom", list(arg, service.name)) %}
{% set serverPort = dig("service", "port", 8080, service) | toString %}

- name: wait-for-server
  image: {{ include("common.image.fixed", dict("ctx", arg, "service", "", "image", "busybox:latest")) }}
  imagePullPolicy: {{ (arg.Values.image.pullPolicy or arg.Values.global.image.pullPolicy) | quote }}
  command:
    - /bin/sh
    - -c
    - |
      until wget --spider --timeout=5 --tries=1 "{{ printf("http://%s:%s", serviceName, serverPort) }}/healthz";
      do
        echo 'Waiting for CSGHub Server to be ready...';
        sleep 5;
      done
      echo 'CSGHub Server is ready!'
{%- endmacro %}
