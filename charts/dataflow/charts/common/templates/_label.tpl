{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_label.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Standard Kubernetes labels.

  include("common.labels", ctx)                                    all labels, name from the chart
  include("common.labels", dict("ctx", ctx, "service", "api"))     name from the service
  include("common.labels", dict("ctx", ctx, "selector", true))     selector labels only
  include("common.labels", dict("ctx", ctx, "customLabels", m))    extra labels from m (quoted)
  The result has one "key: value" per line, no leading or trailing newline.
-#}
{% macro common_labels(arg) %}
{% set c = arg %}
{% set customLabels = dict() %}
{% set service = "" %}
{% set selectorOnly = false %}
{% if kindIs("map", arg) and hasKey(arg, "ctx") %}
{% set c = arg.ctx %}
{% set customLabels = arg.customLabels | default(dict()) %}
{% set service = arg.service | default("") %}
{% set selectorOnly = arg.selector | default(false) %}
{% endif %}
app.kubernetes.io/instance: {{ c.Release.Name }}
{%- if service +%}
app.kubernetes.io/name: {{ service }}
{%- else +%}
app.kubernetes.io/name: {{ include("common.names.name", c) }}
{%- endif %}
{%- if not selectorOnly +%}
app.kubernetes.io/managed-by: {{ c.Release.Service }}
{%- endif %}
{%- for key, value in customLabels | items +%}
{{ key }}: {{ value | quote }}
{%- endfor %}
{%- endmacro %}

{# The labels a selector matches on: instance and name. #}
{% macro common_labels_selector(arg) %}
{{- include("common.labels", dict("ctx", arg, "selector", true)) -}}
{% endmacro %}
