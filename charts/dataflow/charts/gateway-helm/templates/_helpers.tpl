{#- Copyright Envoy Gateway Authors
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from envoyproxy/gateway charts/gateway-helm v1.6.3, templates/_helpers.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Named templates of the Envoy Gateway chart. Each macro is one of upstream's defines
    ("eg.name" is eg_name, "eg.image.pullPolicy" is eg_image_pullPolicy, ...), takes Helm's
    `.` (the chart's ctx) and returns exactly the text the Go define printed. -#}

{#- The chart name (nameOverride wins), cut to 63 characters. #}
{% macro eg_name(ctx) -%}
{{ default(ctx.Chart.Name, ctx.Values.nameOverride) | trunc(63) | trimSuffix("-") }}
{%- endmacro %}

{#- The fully qualified app name: fullnameOverride, else RELEASE-NAME, or just the release name
    when it already contains the chart name; at most 63 characters. #}
{% macro eg_fullname(ctx) -%}
{% if ctx.Values.fullnameOverride -%}
{{ ctx.Values.fullnameOverride | trunc(63) | trimSuffix("-") }}
{%- else -%}
{% set name = default(ctx.Chart.Name, ctx.Values.nameOverride) %}
{% if contains(name, ctx.Release.Name) -%}
{{ ctx.Release.Name | trunc(63) | trimSuffix("-") }}
{%- else -%}
{{ printf("%s-%s", ctx.Release.Name, name) | trunc(63) | trimSuffix("-") }}
{%- endif %}
{% endif %}
{%- endmacro %}

{#- NAME-VERSION for the helm.sh/chart label. #}
{% macro eg_chart(ctx) -%}
{{ printf("%s-%s", ctx.Chart.Name, ctx.Chart.Version) | replace("+", "_") | trunc(63) | trimSuffix("-") }}
{%- endmacro %}

{#- The labels of every object. #}
{% macro eg_labels(ctx) -%}
helm.sh/chart: {{ include("eg.chart", ctx) }}
{{ include("eg.selectorLabels", ctx) }}
{% if ctx.Chart.AppVersion %}
app.kubernetes.io/version: {{ ctx.Chart.AppVersion | quote }}
{% endif %}
app.kubernetes.io/managed-by: {{ ctx.Release.Service }}
{%- endmacro %}

{#- The labels that select the controller's pods. #}
{% macro eg_selectorLabels(ctx) -%}
app.kubernetes.io/name: {{ include("eg.name", ctx) }}
app.kubernetes.io/instance: {{ ctx.Release.Name }}
{%- endmacro %}

{#- The service account name (upstream keeps this helper though its templates name the account
    envoy-gateway directly). #}
{% macro eg_serviceAccountName(ctx) -%}
{% if ctx.Values.serviceAccount.create -%}
{{ default(include("eg.fullname", ctx), ctx.Values.serviceAccount.name) }}
{%- else -%}
{{ default("default", ctx.Values.serviceAccount.name) }}
{%- endif %}
{%- endmacro %}

{#- The controller image. deployment.envoyGateway.image.repository wins when set (its registry
    replaced by global.imageRegistry when that is set, its tag defaulting to appVersion); else
    global.images.envoyGateway.image, split as REGISTRY/REPOSITORY:TAG, with global.imageRegistry
    replacing REGISTRY; else the upstream image at the chart version. #}
{% macro eg_image(ctx) -%}
{% set v = ctx.Values %}
{% if v.deployment.envoyGateway.image.repository -%}
{% set imageTag = default(ctx.Chart.AppVersion, v.deployment.envoyGateway.image.tag) %}
{% if v.global.imageRegistry -%}
{% set repositoryParts = splitn("/", 2, v.deployment.envoyGateway.image.repository) %}
{{ printf("%s/%s:%s", v.global.imageRegistry, repositoryParts._1, imageTag) }}
{%- else -%}
{{ printf("%s:%s", v.deployment.envoyGateway.image.repository, imageTag) }}
{%- endif %}
{% elif v.global.images.envoyGateway.image -%}
{% set imageParts = splitn("/", 2, v.global.images.envoyGateway.image) %}
{% set registryName = default(imageParts._0, v.global.imageRegistry) %}
{% set repositoryParts = splitn(":", 2, imageParts._1) %}
{{ printf("%s/%s:%s", registryName, repositoryParts._0, repositoryParts._1) }}
{%- else -%}
docker.io/envoyproxy/gateway:{{ ctx.Chart.Version }}
{%- endif %}
{%- endmacro %}

{#- Pull policy of the controller image: global.images.envoyGateway.pullPolicy, else
    deployment.envoyGateway.imagePullPolicy. #}
{% macro eg_image_pullPolicy(ctx) -%}
{{ default(ctx.Values.deployment.envoyGateway.imagePullPolicy, ctx.Values.global.images.envoyGateway.pullPolicy) }}
{%- endmacro %}

{#- The imagePullSecrets field of the controller and certgen pods: the first non-empty of
    global.imagePullSecrets, deployment.envoyGateway.imagePullSecrets and
    global.images.envoyGateway.pullSecrets, else an empty list. #}
{% macro eg_image_pullSecrets(ctx) -%}
{% set v = ctx.Values %}
{% if v.global.imagePullSecrets -%}
imagePullSecrets:
{{ v.global.imagePullSecrets | toYaml }}
{%- elif v.deployment.envoyGateway.imagePullSecrets -%}
imagePullSecrets:
{{ v.deployment.envoyGateway.imagePullSecrets | toYaml }}
{%- elif v.global.images.envoyGateway.pullSecrets -%}
imagePullSecrets:
{{ v.global.images.envoyGateway.pullSecrets | toYaml }}
{%- else -%}
imagePullSecrets: {{ list() | toYaml }}
{%- endif %}
{%- endmacro %}

{#- The rate-limit image: global.images.ratelimit.image split as REGISTRY/REPOSITORY:TAG, with
    global.imageRegistry replacing REGISTRY and "master" as the default TAG. #}
{% macro eg_ratelimit_image(ctx) -%}
{% set imageParts = splitn("/", 2, ctx.Values.global.images.ratelimit.image) %}
{% set registryName = default(imageParts._0, ctx.Values.global.imageRegistry) %}
{% set repositoryParts = splitn(":", 2, imageParts._1) %}
{% set imageTag = default("master", repositoryParts._1) %}
{{ printf("%s/%s:%s", registryName, repositoryParts._0, imageTag) }}
{%- endmacro %}

{#- The imagePullSecrets of the rate-limit pod. The first and last forms start with a newline,
    as upstream's do. #}
{% macro eg_ratelimit_image_pullSecrets(ctx) -%}
{% if ctx.Values.global.imagePullSecrets +%}
imagePullSecrets:
{{ ctx.Values.global.imagePullSecrets | toYaml }}
{%- elif ctx.Values.global.images.ratelimit.pullSecrets -%}
imagePullSecrets:
{{ ctx.Values.global.images.ratelimit.pullSecrets | toYaml }}
{%- else +%}
imagePullSecrets: {{ list() | toYaml }}
{%- endif %}
{%- endmacro %}

{#- The chart's EnvoyGateway configuration, which config.envoyGateway is merged over. #}
{% macro eg_default_envoy_gateway_config(ctx) -%}
provider:
  type: Kubernetes
  kubernetes:
    rateLimitDeployment:
      container:
        image: {{ include("eg.ratelimit.image", ctx) }}
{% if ctx.Values.global.imagePullSecrets or ctx.Values.global.images.ratelimit.pullSecrets %}
      pod:
        {{- include("eg.ratelimit.image.pullSecrets", ctx) | nindent(8) }}
{% endif %}
{% if ctx.Values.global.images.ratelimit.pullPolicy %}
      patch:
        type: StrategicMerge
        value:
          spec:
            template:
              spec:
                containers:
                - name: envoy-ratelimit
                  imagePullPolicy: {{ ctx.Values.global.images.ratelimit.pullPolicy }}
{% endif %}
    shutdownManager:
      image: {{ include("eg.image", ctx) }}
{%- if ctx.Values.config.envoyGateway.extensionApis +%}
extensionApis:
  {{- ctx.Values.config.envoyGateway.extensionApis | toYaml | nindent(2) }}
{%- endif %}
{%- if not ctx.Values.topologyInjector.enabled +%}
proxyTopologyInjector:
  disabled: true
{%- endif %}
{%- endmacro %}
