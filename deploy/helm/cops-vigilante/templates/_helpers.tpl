{{/* Chart name, overridable; 63 characters is the limit of a label value and a DNS label. */}}
{{- define "cops-vigilante.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Name of every object; the release name alone when it already contains the chart name. */}}
{{- define "cops-vigilante.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "cops-vigilante.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cops-vigilante.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "cops-vigilante.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "cops-vigilante.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "cops-vigilante.tlsSecretName" -}}
{{- default (printf "%s-tls" (include "cops-vigilante.fullname" .)) .Values.tlsSecretName }}
{{- end }}

{{/* The cert-manager Certificate that writes the serving certificate; also named in inject-ca-from. */}}
{{- define "cops-vigilante.servingCertificateName" -}}
{{- printf "%s-serving" (include "cops-vigilante.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The configuration as conf.yaml gets it: values.config (already merged over the chart's defaults by Helm), with
the Go original's server_use_tls renamed to tls so that the templates below and the binary agree on one key.
*/}}
{{- define "cops-vigilante.config" -}}
{{- $config := deepCopy .Values.config }}
{{- if hasKey $config "server_use_tls" }}
{{- $_ := set $config "tls" (get $config "server_use_tls") }}
{{- $_ := unset $config "server_use_tls" }}
{{- end }}
{{- /* The Lease lives in the release namespace, where the chart's Role grants it. */}}
{{- $election := dig "leader_election" dict $config }}
{{- if and $election (dig "enabled" false $election) (not (dig "namespace" "" $election)) }}
{{- $_ := set $election "namespace" .Release.Namespace }}
{{- end }}
{{- toYaml $config }}
{{- end }}

{{/*
What the templates need to know about the configuration, worked out once, as YAML for fromYaml:
the listeners' ports and schemes, where the certificate goes, and the probe-pod namespace. The port defaults repeat
the binary's rule (webhook 8443, 8000 without TLS); the chart's tests compare them with `vigilante check-config`.
*/}}
{{- define "cops-vigilante.effective" -}}
{{- $config := include "cops-vigilante.config" . | fromYaml }}
{{- $tls := dig "tls" true $config }}
{{- $webhookPort := dig "webhook" "port" nil $config }}
{{- if kindIs "invalid" $webhookPort }}
{{- $webhookPort = ternary 8443 8000 $tls }}
{{- end }}
{{- $certFile := dig "webhook" "cert_file" "/etc/vigilante/certs/tls.crt" $config }}
{{- $keyFile := dig "webhook" "key_file" "/etc/vigilante/certs/tls.key" $config }}
{{- if ne (dir $certFile) (dir $keyFile) }}
{{- fail "config.webhook.cert_file and config.webhook.key_file must be in one directory: the chart mounts the TLS Secret there" }}
{{- end }}
{{- $metricsPort := dig "metrics" "port" 8080 $config }}
{{- if eq (int $webhookPort) (int $metricsPort) }}
{{- fail (printf "config.webhook.port and config.metrics.port are both %v: the two listeners need two ports" $webhookPort) }}
{{- end }}
tls: {{ $tls }}
webhookPort: {{ int $webhookPort }}
metricsPort: {{ int $metricsPort }}
metricsTLS: {{ dig "metrics" "tls" false $config }}
certDirectory: {{ dir $certFile | quote }}
certFileName: {{ base $certFile | quote }}
keyFileName: {{ base $keyFile | quote }}
podNamespace: {{ dig "tasks" "snat" "pod_namespace" "kube-system" $config | quote }}
{{- /* The API server calls webhooks over HTTPS only, so without TLS there is nothing to register. */}}
registerWebhook: {{ and .Values.webhook.enabled $tls }}
leaderElection: {{ and (dig "tasks" "snat" "enabled" true $config) (dig "leader_election" "enabled" false $config) }}
reportPredatingPods: {{ and (dig "tasks" "snat" "enabled" true $config) (dig "tasks" "snat" "report_pods_predating_healing" true $config) }}
evictPredatingPods: {{ and (dig "tasks" "snat" "enabled" true $config) (dig "tasks" "snat" "evict_pods_predating_healing" false $config) }}
mountCertificate: {{ or $tls (dig "metrics" "tls" false $config) }}
{{- end }}

{{/* repository@digest when a digest is given, else repository:tag (the appVersion by default). */}}
{{- define "cops-vigilante.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion | toString) }}
{{- end }}
{{- end }}
