{#- Copyright Broadcom, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_capabilities.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  API versions chosen by the target Kubernetes version (Capabilities, or an explicit
  kubeVersion in the values). Only the kinds the Dataflow chart renders are kept.
-#}

{# The Kubernetes version to target: global.kubeVersion, else kubeVersion, else the cluster's. #}
{% macro common_capabilities_kubeVersion(arg) %}
{{- (arg.Values.global or {}).kubeVersion | default(arg.Values.kubeVersion | default(arg.Capabilities.KubeVersion.Version)) -}}
{% endmacro %}

{# apiVersion of Deployment. #}
{% macro common_capabilities_deployment_apiVersion(arg) %}
{%- set kubeVersion = include("common.capabilities.kubeVersion", arg) -%}
{%- if kubeVersion and semverCompare("<1.14-0", kubeVersion) -%}
extensions/v1beta1
{%- else -%}
apps/v1
{%- endif -%}
{% endmacro %}

{# apiVersion of StatefulSet. #}
{% macro common_capabilities_statefulset_apiVersion(arg) %}
{%- set kubeVersion = include("common.capabilities.kubeVersion", arg) -%}
{%- if kubeVersion and semverCompare("<1.14-0", kubeVersion) -%}
apps/v1beta1
{%- else -%}
apps/v1
{%- endif -%}
{% endmacro %}
