{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_name.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Object names. -#}

{# The chart's name, or nameOverride; at most 63 characters. #}
{% macro common_names_name(arg) %}
{{- arg.Values.nameOverride | default(arg.Chart.Name) | trunc(63) | trimSuffix("-") -}}
{% endmacro %}

{#
  RELEASE-COMPONENT, cut to 63 characters.
  include("common.names.custom", list(ctx, "component"))  ->  RELEASE-component
  include("common.names.custom", list(ctx))               ->  RELEASE-CHART
  include("common.names.custom", ctx)                     ->  a newline, four spaces, RELEASE-CHART
  (the last form keeps the leading whitespace the Go original printed).
#}
{% macro common_names_custom(arg) %}
{%- if kindIs("slice", arg) -%}
  {%- if arg | length > 0 -%}
    {%- set c = arg[0] -%}
    {%- if arg | length > 1 -%}
      {{- printf("%s-%s", c.Release.Name, arg[1]) | trunc(63) | trimSuffix("-") -}}
    {%- else -%}
      {{- printf("%s-%s", c.Release.Name, c.Chart.Name) | trunc(63) | trimSuffix("-") -}}
    {%- endif -%}
  {%- else -%}
    {{- fail("No context provided to common.names.custom template") -}}
  {%- endif -%}
{%- else -%}
  {{- "\n    " ~ (printf("%s-%s", arg.Release.Name, arg.Chart.Name) | trunc(63) | trimSuffix("-")) -}}
{%- endif -%}
{% endmacro %}
