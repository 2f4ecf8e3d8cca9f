{#- Copyright OpenCSG, Inc. All Rights Reserved.
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from OpenCSGs/csghub-charts charts/dataflow 1.16.0 (246e73f2), charts/common/templates/_random.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#-
  Generated passwords.

  Upstream derived these from the current minute (a hash of the input and the time), so anyone
  who knew the install time could recompute them, and two renders a minute apart disagreed.
  Here they come from the operating system's CSPRNG (randAlphaNum).

  include("common.randomPassword", dict("ctx", ctx, "name", SECRET_NAME, "key", DATA_KEY, "length", 32))
      The value of credential DATA_KEY of Secret SECRET_NAME, stable for a release:
      1. when the Secret already exists in the release namespace (lookup), its decoded value;
      2. otherwise drawn once per render and kept in a render-wide memo, the map
         Values.__generatedCredentials under "SECRET_NAME/DATA_KEY" (every template of the
         chart shares Values, as in Helm), so the Secret and the ConfigMaps and init containers
         that repeat the credential agree. The built-in components' Secret templates use the
         same memo (dataflow.secret.value), whichever template draws first.
      length defaults to 32.
  include("common.randomPassword", "csghub")
      Upstream's form: 32 fresh characters on every call (nothing to remember them by).
-#}
{% macro common_randomPassword(arg) %}
{%- if kindIs("map", arg) and hasKey(arg, "ctx") -%}
  {%- set c = arg.ctx -%}
  {%- set existing = lookup("v1", "Secret", c.Release.Namespace, arg.name) -%}
  {%- set current = dig("data", arg.key, "", existing) -%}
  {%- if current -%}
    {{- current | b64dec -}}
  {%- else -%}
    {%- if not hasKey(c.Values, "__generatedCredentials") -%}
      {%- set _ = set(c.Values, "__generatedCredentials", dict()) -%}
    {%- endif -%}
    {%- set memo = index(c.Values, "__generatedCredentials") -%}
    {%- set memoKey = arg.name ~ "/" ~ arg.key -%}
    {%- if not hasKey(memo, memoKey) -%}
      {%- set _ = set(memo, memoKey, randAlphaNum(arg.length | default(32))) -%}
    {%- endif -%}
    {{- index(memo, memoKey) -}}
  {%- endif -%}
{%- else -%}
  {{- randAlphaNum(32) -}}
{%- endif -%}
{% endmacro %}
