{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_service.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  A component's settings, normalised and printed as YAML (read back with fromYaml).

  include("common.service", dict("ctx", ctx, "service", "labelStudio"))
      Values.labelStudio with "name" defaulted to the kebab-case key ("label-studio").
  include("common.service", dict("ctx", ctx))
      a copy of all Values with "name" defaulted to "global".
  include("common.service", ctx)
      a copy of all Values with "name" defaulted to the release name.
-#}
{% macro common_service(arg) %}
{%- if kindIs("map", arg) and hasKey(arg, "ctx") -%}
  {%- set c = arg.ctx -%}
  {%- if hasKey(arg, "service") -%}
    {%- set svc = index(c.Values, arg.service) | default(dict()) -%}
    {%- set name = dig("name", kebabcase(arg.service), svc) -%}
    {{- mergeOverwrite(dict("name", name), svc) | toYaml -}}
  {%- else -%}
    {%- set svc = merge(dict(), c.Values) -%}
    {%- set name = dig("name", "global", svc) -%}
    {{- mergeOverwrite(dict("name", name), svc) | toYaml -}}
  {%- endif -%}
{%- else -%}
  {%- set svc = merge(dict(), arg.Values) -%}
  {%- set name = dig("name", arg.Release.Name, svc) -%}
  {{- mergeOverwrite(dict("name", name), svc) | toYaml -}}
{%- endif -%}
{% endmacro %}
