{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), templates/dataflow/_dataflow.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Dataflow's host name and URL. -#}

{# DATAFLOW-NAME.BASE-DOMAIN (the service name is "dataflow" unless dataflow.name says otherwise). #}
{% macro common_domain_dataflow(arg) %}
{%- set service = include("common.service", dict("ctx", arg, "service", "dataflow")) | fromYaml -%}
{{- include("common.domain", dict("ctx", arg, "sub", service.name)) -}}
{% endmacro %}

{# Dataflow's URL behind the gateway. #}
{% macro common_endpoint_dataflow(arg) %}
{{- include("common.endpoint", dict("ctx", arg, "domain", include("common.domain.dataflow", arg))) -}}
{% endmacro %}
