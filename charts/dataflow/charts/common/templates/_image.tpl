{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_image.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- Image references. -#}

{#
  REGISTRY/REPOSITORY:TAG from a component's image settings and global.image.
  include("common.image", list(ctx, Values.dataflow.image))
  - local settings win over global.image; registryPolicy "force" uses the global registry
    (default opencsg-registry.cn-beijing.cr.aliyuncs.com) whatever the local one says;
  - without any registry, the first path segment of the repository is taken as the registry;
  - on an opencsg-registry host, repositories outside opencsghq/, opencsg_public/, public/
    are moved under opencsghq/.
#}
{% macro common_image(arg) %}
{%- set c = arg[0] -%}
{%- set localImage = arg[1] | default(dict()) -%}
{%- set globalImage = c.Values.global.image | default(dict()) -%}
{%- set registry = localImage.registry or globalImage.registry -%}
{%- set repository = localImage.repository or globalImage.repository -%}
{%- set tag = localImage.tag or globalImage.tag -%}
{%- if globalImage.registryPolicy == "force" -%}
  {%- set registry = globalImage.registry or "opencsg-registry.cn-beijing.cr.aliyuncs.com" -%}
{%- endif -%}
{%- if not registry -%}
  {%- set registry = regexFind("^[^/]+", repository) -%}
  {%- if registry -%}
    {%- set repository = trimPrefix(printf("%s/", registry), repository) -%}
  {%- endif -%}
{%- endif -%}
{%- if registry and regexMatch("^opencsg-registry", registry) -%}
  {%- if not regexMatch("^(opencsghq/|opencsg_public/|public/)", repository) -%}
    {%- set repository = printf("opencsghq/%s", repository) -%}
  {%- endif -%}
{%- endif -%}
{%- if registry and repository and tag -%}
  {{- printf("%s/%s:%s", registry, repository, tag) -}}
{%- else -%}
  {{- fail("Invalid image configuration - registry, repository and tag are required") -}}
{%- endif -%}
{% endmacro %}

{#
  REGISTRY/IMAGE for a fixed image name (init containers such as busybox or psql).
  include("common.image.fixed", dict("ctx", ctx, "service", "minio", "image", "busybox:latest"))
  The registry comes from Values.<service>.image, else Values.image (when Values.<service> is
  empty), else global.image, with the same "force" and opencsg-registry rules as common.image.
#}
{% macro common_image_fixed(arg) %}
{%- set c = arg.ctx -%}
{%- set image = arg.image -%}
{%- set globalImage = c.Values.global.image | default(dict()) -%}
{%- set localImage = dict() -%}
{%- if index(c.Values, arg.service) -%}
  {%- if index(c.Values, arg.service, "image") -%}
    {%- set localImage = index(c.Values, arg.service, "image") -%}
  {%- endif -%}
{%- else -%}
  {%- set localImage = c.Values.image -%}
{%- endif -%}
{%- set registry = (localImage or {}).registry or globalImage.registry -%}
{%- if globalImage.registryPolicy == "force" -%}
  {%- set registry = globalImage.registry or "opencsg-registry.cn-beijing.cr.aliyuncs.com" -%}
{%- endif -%}
{%- if not registry -%}
  {%- set registry = regexFind("^[^/]+", image) -%}
  {%- if registry -%}
    {%- set image = trimPrefix(printf("%s/", registry), image) -%}
  {%- endif -%}
{%- endif -%}
{%- if registry and regexMatch("^opencsg-registry", registry) -%}
  {%- if not regexMatch("^(opencsghq/|opencsg_public/|public/)", image) -%}
    {%- set image = printf("opencsghq/%s", image) -%}
  {%- endif -%}
{%- endif -%}
{%- if registry and image -%}
  {{- printf("%s/%s", registry, image) -}}
{%- else -%}
  {{- fail("Invalid image configuration - registry and image are required") -}}
{%- endif -%}
{% endmacro %}

{#
  An image tag with the edition suffix: v1.8.0 becomes v1.8.0-ee (global.edition, default ee;
  only ce and ee count). Tags that are not plain vX.Y.Z, or already end in -ce/-ee, are kept.
  include("common.image.tag", dict("ctx", ctx, "tag", "v1.8.0"))
#}
{% macro common_image_tag(arg) %}
{%- set tag = arg.tag -%}
{%- set edition = arg.ctx.Values.global.edition | default("ee") -%}
{%- if regexMatch("^v[0-9]+\\.[0-9]+\\.[0-9]+$", tag) and (edition == "ce" or edition == "ee") and not regexMatch("(-ce|-ee)$", tag) -%}
  {{- printf("%s-%s", tag, edition) -}}
{%- else -%}
  {{- tag -}}
{%- endif -%}
{% endmacro %}
