{#- Copyright the Reloader authors (Stakater)
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from stakater/Reloader deployments/kubernetes/chart/reloader 2.2.7, templates/_helpers.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Named templates of the Reloader chart. Each macro is one of upstream's defines
    ("reloader-labels.chart" is reloader_labels_chart, ...), takes Helm's `.` (the chart's ctx)
    and returns exactly the text the Go define printed. -#}

{#- The chart name (nameOverride wins), lower case, at most 63 characters. #}
{% macro reloader_name(ctx) -%}
{{ default(ctx.Chart.Name, ctx.Values.nameOverride) | trunc(63) | trimSuffix("-") | lower }}
{%- endmacro %}

{#- RELEASE-NAME (fullnameOverride wins), at most 63 characters. #}
{% macro reloader_fullname(ctx) -%}
{% if ctx.Values.fullnameOverride -%}
{{ ctx.Values.fullnameOverride | trunc(63) | trimSuffix("-") }}
{%- else -%}
{% set name = default(ctx.Chart.Name, ctx.Values.nameOverride) %}
{{ printf("%s-%s", ctx.Release.Name, name) | trunc(63) | trimSuffix("-") }}
{%- endif %}
{%- endmacro %}

{#- NAME-VERSION, as a chart label. #}
{% macro reloader_chart(ctx) -%}
{{ printf("%s-%s", ctx.Chart.Name, ctx.Chart.Version) | replace("+", "_") | trunc(63) | trimSuffix("-") }}
{%- endmacro %}

{#- The labels that select Reloader's pods. #}
{% macro reloader_match_labels_chart(ctx) -%}
app: {{ template("reloader-fullname", ctx) }}
release: {{ ctx.Release.Name | quote }}
{%- endmacro %}

{#- The labels of every object. #}
{% macro reloader_labels_chart(ctx) -%}
{{ include("reloader-match-labels.chart", ctx) }}
app.kubernetes.io/name: {{ template("reloader-name", ctx) }}
app.kubernetes.io/instance: {{ ctx.Release.Name | quote }}
helm.sh/chart: "{{ ctx.Chart.Name }}-{{ ctx.Chart.Version | replace("+", "_") }}"
chart: "{{ ctx.Chart.Name }}-{{ ctx.Chart.Version | replace("+", "_") }}"
heritage: {{ ctx.Release.Service | quote }}
app.kubernetes.io/managed-by: {{ ctx.Release.Service | quote }}
app.kubernetes.io/version: {{ ctx.Chart.AppVersion | quote }}
{%- endmacro %}

{#- Spread the replicas over nodes (used with enableHA when no affinity is given). #}
{% macro reloader_podAntiAffinity(ctx) -%}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
  - weight: 100
    podAffinityTerm:
      labelSelector:
        matchExpressions:
        - key: app.kubernetes.io/instance
          operator: In
          values:
          - {{ ctx.Release.Name | quote }}
      topologyKey: "kubernetes.io/hostname"
{%- endmacro %}

{#- The service account name: serviceAccount.name, else the full name when the chart creates
    the account, else "default". #}
{% macro reloader_serviceAccountName(ctx) -%}
{% if ctx.Values.reloader.serviceAccount.create -%}
{{ default(include("reloader-fullname", ctx), ctx.Values.reloader.serviceAccount.name) }}
{%- else -%}
{{ default("default", ctx.Values.reloader.serviceAccount.name) }}
{%- endif %}
{%- endmacro %}

{#- The annotations Helm 3 puts on the objects it owns. #}
{% macro reloader_helm3_annotations(ctx) -%}
meta.helm.sh/release-namespace: {{ ctx.Release.Namespace | quote }}
meta.helm.sh/release-name: {{ ctx.Release.Name | quote }}
{%- endmacro %}

{#- The namespace selector, only when watching globally. #}
{% macro reloader_namespaceSelector(ctx) -%}
{% if ctx.Values.reloader.watchGlobally and ctx.Values.reloader.namespaceSelector -%}
{{ ctx.Values.reloader.namespaceSelector }}
{%- endif %}
{%- endmacro %}

{#- global.imagePullSecrets as a list of {name: ...}; items may be names or objects. Every item
    starts with a newline, as upstream's range prints them. #}
{% macro reloader_imagePullSecrets(ctx) -%}
{% for s in ctx.Values.global.imagePullSecrets %}
{% if kindIs("map", s) +%}
- {{ s | toYaml | nindent(2) | trim }}
{%- else +%}
- name: {{ s }}
{%- endif %}
{% endfor %}
{%- endmacro %}
