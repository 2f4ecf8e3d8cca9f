{#- Copyright Envoy Gateway Authors
    SPDX-License-Identifier: APACHE-2.0
    Ported to Jinja for chartr from envoyproxy/gateway charts/gateway-helm v1.6.3, templates/_rbac.tpl.
    Changed: translated from Go templates; see charts/dataflow/README.md and NOTICE. -#}
{#- RBAC rules of the Envoy Gateway controller, as named templates. eg_rbac_namespaced and
    eg_rbac_cluster return YAML lists of rules; the others one rule (a map) or a list. -#}

{#- Every namespaced rule the controller needs. #}
{% macro eg_rbac_namespaced(ctx) -%}
- {{ include("eg.rbac.namespaced.basic", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.namespaced.apps", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.namespaced.discovery", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.namespaced.gateway.envoyproxy", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.namespaced.gateway.envoyproxy.status", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.namespaced.gateway.networking", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.namespaced.gateway.networking.status", ctx) | nindent(2) | trim }}
{%- if ctx.Values.topologyInjector.enabled +%}
- {{ include("eg.rbac.namespaced.topologyinjector", ctx) | nindent(2) | trim }}
{%- endif %}
{%- endmacro %}

{#- Every cluster-scoped rule the controller needs. #}
{% macro eg_rbac_cluster(ctx) -%}
- {{ include("eg.rbac.cluster.basic", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.cluster.gateway.networking", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.cluster.gateway.networking.status", ctx) | nindent(2) | trim }}
- {{ include("eg.rbac.cluster.multiclusterservices", ctx) | nindent(2) | trim }}
{%- endmacro %}

{#- Namespaced rules. #}

{% macro eg_rbac_namespaced_basic(ctx) -%}
apiGroups:
- ""
resources:
- configmaps
- secrets
- services
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_namespaced_topologyinjector(ctx) -%}
apiGroups:
- ""
resources:
- pods
- pods/binding
verbs:
- get
- list
- patch
- update
- watch
{%- endmacro %}

{% macro eg_rbac_namespaced_apps(ctx) -%}
apiGroups:
- apps
resources:
- deployments
- daemonsets
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_namespaced_discovery(ctx) -%}
apiGroups:
- discovery.k8s.io
resources:
- endpointslices
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_namespaced_gateway_envoyproxy(ctx) -%}
apiGroups:
- gateway.envoyproxy.io
resources:
- envoyproxies
- envoypatchpolicies
- clienttrafficpolicies
- backendtrafficpolicies
- securitypolicies
- envoyextensionpolicies
- backends
- httproutefilters
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_namespaced_gateway_envoyproxy_status(ctx) -%}
apiGroups:
- gateway.envoyproxy.io
resources:
- envoypatchpolicies/status
- clienttrafficpolicies/status
- backendtrafficpolicies/status
- securitypolicies/status
- envoyextensionpolicies/status
- backends/status
verbs:
- update
{%- endmacro %}

{% macro eg_rbac_namespaced_gateway_networking(ctx) -%}
apiGroups:
- gateway.networking.k8s.io
resources:
- gateways
- grpcroutes
- httproutes
- referencegrants
- tcproutes
- tlsroutes
- udproutes
- backendtlspolicies
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_namespaced_gateway_networking_status(ctx) -%}
apiGroups:
- gateway.networking.k8s.io
resources:
- gateways/status
- grpcroutes/status
- httproutes/status
- tcproutes/status
- tlsroutes/status
- udproutes/status
- backendtlspolicies/status
verbs:
- update
{%- endmacro %}

{#- Cluster-scoped rules. #}

{% macro eg_rbac_cluster_basic(ctx) -%}
apiGroups:
- ""
resources:
- nodes
- namespaces
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_cluster_gateway_networking(ctx) -%}
apiGroups:
- gateway.networking.k8s.io
resources:
- gatewayclasses
verbs:
- get
- list
- patch
- update
- watch
{%- endmacro %}

{% macro eg_rbac_cluster_multiclusterservices(ctx) -%}
apiGroups:
- multicluster.x-k8s.io
resources:
- serviceimports
verbs:
- get
- list
- watch
{%- endmacro %}

{% macro eg_rbac_cluster_gateway_networking_status(ctx) -%}
apiGroups:
- gateway.networking.k8s.io
resources:
- gatewayclasses/status
verbs:
- update
{%- endmacro %}

{#- What the infrastructure manager needs to run Envoy proxies: a list of rules. #}
{% macro eg_rbac_infra_basic(ctx) -%}
- apiGroups:
  - ""
  resources:
  - serviceaccounts
  - services
  - configmaps
  verbs:
  - create
  - get
  - list
  - delete
  - deletecollection
  - patch
- apiGroups:
  - apps
  resources:
  - deployments
  - daemonsets
  verbs:
  - create
  - get
  - delete
  - deletecollection
  - patch
- apiGroups:
  - autoscaling
  - policy
  resources:
  - horizontalpodautoscalers
  - poddisruptionbudgets
  verbs:
  - create
  - get
  - list
  - delete
  - deletecollection
  - patch
- apiGroups:
  - certificates.k8s.io
  resources:
  - clustertrustbundles
  verbs:
  - list
  - get
  - watch
{%- endmacro %}

{#- The token reviews the infrastructure manager makes in GatewayNamespace mode. #}
{% macro eg_rbac_infra_tokenreview(ctx) -%}
- apiGroups:
  - authentication.k8s.io
  resources:
  - tokenreviews
  verbs:
  - create
{%- endmacro %}
