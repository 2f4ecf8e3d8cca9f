{#-
  Generated passwords.

  Upstream derived these from the current minute (a hash of the input and the time), so anyone
  who knew the install time could recompute them. Here they come from the operating system's
  CSPRNG (randAlphaNum), 32 alphanumeric characters.

  Forms:
  include("common.randomPassword", dict("ctx", ctx, "seed", "csghub"))
      The same password for the same seed everywhere in one render: the first call draws it
      and keeps it in the chart's Values (key "__chartrGeneratedPasswords", shared by every
      template of the chart, as Helm's .Values is), later calls reuse it. This is what keeps
      a Secret and the ConfigMaps and init containers that repeat its password in step.
  include("common.randomPassword", dict("ctx", ctx, "seed", "csghub",
                                        "secret", "dataflow-postgresql", "key", "POSTGRES_PASSWORD"))
      First looks the Secret up in the release namespace (lookup) and returns its decoded key
      when present, so upgrades keep the password already in the cluster.
  include("common.randomPassword", "csghub")
      Upstream's form: a fresh password on every call (nothing to remember it in).
-#}
{% macro common_randomPassword(arg) %}
{%- if kindIs("map", arg) and hasKey(arg, "ctx") -%}
  {%- set c = arg.ctx -%}
  {%- set found = "" -%}
  {%- if arg.secret and arg.key -%}
    {%- set existing = lookup("v1", "Secret", c.Release.Namespace, arg.secret) -%}
    {%- if existing and existing.data and index(existing.data, arg.key) -%}
      {%- set found = index(existing.data, arg.key) | b64dec -%}
    {%- endif -%}
  {%- endif -%}
  {%- if found -%}
    {{- found -}}
  {%- else -%}
    {%- if not hasKey(c.Values, "__chartrGeneratedPasswords") -%}
      {%- set _ = set(c.Values, "__chartrGeneratedPasswords", dict()) -%}
    {%- endif -%}
    {%- set store = index(c.Values, "__chartrGeneratedPasswords") -%}
    {%- set seed = printf("%v", arg.seed) -%}
    {%- if not hasKey(store, seed) -%}
      {%- set _ = set(store, seed, randAlphaNum(32)) -%}
    {%- endif -%}
    {{- index(store, seed) -}}
  {%- endif -%}
{%- else -%}
  {{- randAlphaNum(32) -}}
{%- endif -%}
{% endmacro %}
