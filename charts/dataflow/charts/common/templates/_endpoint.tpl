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
