{#- Copyright Broadcom, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_gateway.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Gateway settings of a component: global.gateway, overridden by the component's own
  "gateway" section, printed as YAML (read back with fromYaml).
  include("common.gateway.config", dict("ctx", ctx, "service", service))
  Fails when the gateway and TLS are on without a TLS secret name.
-#}
{% macro common_gateway_config(arg) %}
{%- set c = arg.ctx -%}
{%- set service = arg.service -%}
{%- set globalGateway = c.Values.global.gateway -%}
{%- set gatewayConfig = dict(
  "enabled", dig("enabled", false, globalGateway),
  "controllerName", dig("controllerName", "nginx", globalGateway),
  "tls", dict(
    "enabled", dig("tls", "enabled", false, globalGateway),
    "secretName", dig("tls", "secretName", "", globalGateway)),
  "service", dict(
    "type", dig("service", "type", "LoadBalancer", globalGateway),
    "nodePorts", dict(
      "http", dig("service", "nodePorts", "http", "30080", globalGateway),
      "https", dig("service", "nodePorts", "https", "30443", globalGateway),
      "gitssh", dig("service", "nodePorts", "gitssh", "30022", globalGateway))),
  "basicAuth", dict(
    "username", dig("basicAuth", "username", "", globalGateway),
    "password", dig("basicAuth", "password", "", globalGateway))) -%}
{%- if (service or {}).gateway -%}
  {%- set g = service.gateway -%}
  {#- The service-level basicAuth.password is read one level too deep (key ""), as upstream does. -#}
  {%- set gatewayConfig = merge(dict(
    "enabled", g.enabled | default(gatewayConfig.enabled),
    "controllerName", g.controllerName | default(gatewayConfig.controllerName),
    "tls", dict(
      "enabled", dig("tls", "enabled", gatewayConfig.tls.enabled, g),
      "secretName", dig("tls", "secretName", gatewayConfig.tls.secretName, g)),
    "service", dict(
      "type", dig("service", "type", gatewayConfig.service.type, g),
      "nodePorts", dict(
        "http", dig("service", "nodePorts", "http", gatewayConfig.service.nodePorts.http, g),
        "https", dig("service", "nodePorts", "https", gatewayConfig.service.nodePorts.https, g),
        "gitssh", dig("service", "nodePorts", "gitssh", gatewayConfig.service.nodePorts.gitssh, g))),
    "basicAuth", dict(
      "username", dig("basicAuth", "username", gatewayConfig.basicAuth.username, g),
      "password", dig("basicAuth", "password", "", gatewayConfig.basicAuth.password, g))), gatewayConfig) -%}
{%- endif -%}
{%- if gatewayConfig.enabled and gatewayConfig.tls.enabled and not gatewayConfig.tls.secretName -%}
  {{- fail("TLS secretName must be set when TLS is enabled") -}}
{%- endif -%}
{{- gatewayConfig | toYaml -}}
{% endmacro %}
