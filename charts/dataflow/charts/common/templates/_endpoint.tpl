{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_endpoint.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  The external URL of a domain behind the gateway: https when the gateway has TLS, and the
  NodePort appended when the gateway service is not a LoadBalancer.
  include("common.endpoint", dict("ctx", ctx, "service", Values.webapp, "domain", "app.example.com"))
-#}
{% macro common_endpoint(arg) %}
{%- set c = arg.ctx -%}
{%- set service = arg.service | default(dict()) -%}
{%- set domain = arg.domain -%}
{%- set gatewayConfig = include("common.gateway.config", dict("ctx", c, "service", service)) | fromYaml -%}
{%- set scheme = "http" -%}
{%- if gatewayConfig.tls.enabled -%}
  {%- set scheme = "https" -%}
{%- endif -%}
{%- if gatewayConfig.service.type == "LoadBalancer" -%}
  {{- printf("%s://%s", scheme, domain) -}}
{%- elif gatewayConfig.tls.enabled -%}
  {{- printf("%s://%s:%v", scheme, domain, gatewayConfig.service.nodePorts.https) -}}
{%- else -%}
  {{- printf("%s://%s:%v", scheme, domain, gatewayConfig.service.nodePorts.http) -}}
{%- endif -%}
{% endmacro %}
