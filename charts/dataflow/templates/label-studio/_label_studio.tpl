{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), templates/label-studio/_label_studio.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Label Studio's host name and URL. -#}

{# LABEL-STUDIO-NAME.BASE-DOMAIN (the service name is "label-studio" unless labelStudio.name says otherwise). #}
{% macro common_domain_labelstudio(arg) %}
{%- set service = include("common.service", dict("ctx", arg, "service", "labelStudio")) | fromYaml -%}
{{- include("common.domain", dict("ctx", arg, "sub", service.name)) -}}
{% endmacro %}

{# Label Studio's URL behind the gateway. #}
{% macro common_endpoint_labelstudio(arg) %}
{{- include("common.endpoint", dict("ctx", arg, "domain", include("common.domain.labelstudio", arg))) -}}
{% endmacro %}
