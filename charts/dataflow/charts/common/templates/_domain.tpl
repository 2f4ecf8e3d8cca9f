{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_domain.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Domains under global.gateway.external.domain. -#}

{#
  The base domain: global.gateway.external.domain without its first label when it has three
  or more labels (csghub.example.com -> example.com), else as it is. Fails when unset.
#}
{% macro domain_base(arg) %}
{%- set domain = "" -%}
{%- if hasKey(arg.Values.global.gateway, "external") -%}
  {%- if hasKey(arg.Values.global.gateway.external, "domain") -%}
    {%- set domain = arg.Values.global.gateway.external.domain -%}
  {%- endif -%}
{%- endif -%}
{%- if not domain -%}
  {{- fail("external.domain must be set in values.yaml") -}}
{%- endif -%}
{%- if splitList(".", domain) | length >= 3 -%}
  {{- regexReplaceAll("^[^.]+\\.", domain, "") -}}
{%- else -%}
  {{- domain -}}
{%- endif -%}
{% endmacro %}

{#
  SUB.BASE for a gateway host name; nothing when sub is empty.
  include("common.domain", dict("ctx", ctx, "sub", "api"))
#}
{% macro common_domain(arg) %}
{%- set baseDomain = include("domain.base", arg.ctx) -%}
{%- if arg.sub -%}
  {{- printf("%s.%s", arg.sub, baseDomain) -}}
{%- endif -%}
{% endmacro %}
