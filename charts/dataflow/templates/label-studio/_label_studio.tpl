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
