<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>QObject</name>
    <message>
        <source>line %1: JSON syntax error: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line 1: the config must be an object keyed by node name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: YAML syntax error: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: the config must be a mapping keyed by node name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the node name is empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>provider &quot;%1&quot; is not built in (known: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot write a temporary file to check the config: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console</name>
    <message>
        <source>the sandbox cluster is not running (it starts when you connect to it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kubeconfig file %1 does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no kubeconfig context in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>context &quot;%1&quot; is not defined in %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 sets no current-context: pick a context</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::AgentHost</name>
    <message>
        <source>starting the sandbox cluster in %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The sandbox cluster did not start: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sandbox cluster listening on %1; kubectl: export KUBECONFIG=%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connect to a cluster before starting a node.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The node needs a name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node %1 is already running in this console.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the configuration of node %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: cannot write the provider configuration: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>labelling the node failed: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node labels applied</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopping node %1 (its pods stay in the cluster)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>stopped</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not connected to a cluster.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the pod template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>document %1: kind &quot;%2&quot; (apiVersion &quot;%3&quot;) cannot be created from the console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>create %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>delete %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 force deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># As written in the spec (the pod is not on a node of this console, so nothing is resolved)
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># As given to the provider, after env resolution
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
container %1:
</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  (no variables)
</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::ConnectDialog</name>
    <message>
        <source>Connect to a cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sandbox cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶  Use a &amp;sandbox cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starts a Kubernetes API server inside VK Studio, on this machine: nothing to install, no kubeconfig needed. Ideal to try providers and watch pods.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Kubeconfig contexts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>User</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Add file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the context&apos;s namespace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Namespace:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add a kubeconfig file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: the file does not exist</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>current-context</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No kubeconfig at %1: use the sandbox cluster, or add a file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Read: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ Kubernetes %1 at %2, as %3, round trip %4 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::ConnectionTester</name>
    <message>
        <source>no answer from %1 within %2 ms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (the server&apos;s certificate is not signed by the certificate-authority of cluster &quot;%1&quot; in %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the handshake with %1 failed: %2%3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 rejected the credentials of user &quot;%2&quot; (%3 %4)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET %1/version: %2 %3</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>GET %1/version did not answer a Kubernetes version</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (groups: %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (certificate CN=%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 (from the kubeconfig: the server has no SelfSubjectReview API)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::LifecycleView</name>
    <message>
        <source>Select a pod (or a node in the tree) to see its lifecycle.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing recorded yet for %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
from %1 to %2 (%3 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::LogView</name>
    <message>
        <source>&amp;Follow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>tail %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all lines</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>since start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 1 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 5 min</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last 1 h</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Timestamps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The logs of the previous instance of the container (after a restart)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Wrap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>regex search…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select one or more pods and press Ctrl+L to see their logs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>following %n pod(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pod(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>[%1] error: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>bad regex: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save logs</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::MainWindow</name>
    <message>
        <source>VK Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Sandbox cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start the embedded control plane and connect to it</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ Start &amp;node…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>■ S&amp;top node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>+ &amp;Pod from template…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Delete pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Force delete pod</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete with --grace-period=0 --force</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Find pods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;About VK Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Recent clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Pods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Main</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all phases</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all namespaces</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>filter pods (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Details</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Logs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Type</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Object</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Source</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Message</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Events</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Env</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Agent log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>○ not connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent: no nodes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last error: none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1
kubectl: export KUBECONFIG=%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source># %1 no longer exists</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API %1 req/s, %2 errors</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API %1 req/s</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pod %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>%n pods</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>Force delete %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The API object is removed at once (--grace-period=0 --force), whether or not the provider has stopped the containers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The pod gets its termination grace period; the node&apos;s provider stops its containers.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Force delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Delete</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>node %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>◌ connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● %1 (%2) connected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connected to %1, Kubernetes %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>VK Studio — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✗ %1: connection failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot connect to %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  ● Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  ○ NotReady</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>  [%1 · %2]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node %1 failed: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Registering node %1…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node %1 is Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <source>agent ● running · %n node(s)</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <source>seen %1 times since %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>last error: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>About VK Studio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&lt;h3&gt;VK Studio %1&lt;/h3&gt;&lt;p&gt;A desktop console with an embedded virtual-kubelet agent.&lt;/p&gt;&lt;p&gt;Qt %2 (built with %3)&lt;br&gt;%4&lt;br&gt;Kubernetes API v1.32 (sandbox)&lt;/p&gt;&lt;p&gt;Licensed under the Apache License 2.0.&lt;/p&gt;</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::NodeDialog</name>
    <message>
        <source>Start a virtual node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The Node object&apos;s name: lower-case letters, digits, &apos;-&apos; and &apos;.&apos;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written into the node&apos;s entry of the provider config; empty: the provider&apos;s default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;CPU:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>P&amp;ods:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taint the node so that only pods tolerating it land there</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Effect:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>key=value, one per line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>API client</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--kube-api-qps: requests per second to the API server (0: unlimited)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;QPS:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>--kube-api-burst</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Burst:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider config</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Templates</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Empty: the provider&apos;s defaults. JSON or YAML keyed by node name.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Start node</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>JSON</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>YAML</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock: defaults</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock: slow start (pending 2 s, ready 1.5 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock: flaky (readiness flapping, restarts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock: failing pods (crash, back-off, give up after 2 restarts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock: chatty logs (10 lines/s per container)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mock: GPU node (4 nvidia.com/gpu)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No templates for this provider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels, line %1: expected key=value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels, line %1: &quot;%2&quot; is not a valid label key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Labels, line %1: &quot;%2&quot; is not a valid label value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node name: required</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Node name: &quot;%1&quot; must be lower-case letters, digits, &apos;-&apos; and &apos;.&apos;, starting and ending with a letter or digit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Provider: no provider is built in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taint: &quot;%1&quot; is not a valid key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Taint: &quot;%1&quot; is not a valid value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>✓ The configuration is valid.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::NodePanel</name>
    <message>
        <source>Condition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reason</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transition</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pods</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cpu</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>memory</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>taints</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>addresses</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>info</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No node selected</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a node in the tree on the left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE  %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>agent: %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · lease renewed %1 (%2×)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · kubelet API :%1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>not run by this console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1=%2
reason: %3
message: %4
lastHeartbeatTime: %5
lastTransitionTime: %6</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2 cores requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 / %2 requested</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>capacity %1, allocatable %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(cordoned)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>none</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>kubelet %1
providerID %2
kubelet port %3</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::PodHistory</name>
    <message>
        <source>%1 — STATUS %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1=%2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
reason: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
message: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
lastTransitionTime: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running, ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running, not ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>running, starting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>terminated: %1 (exit %2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>container %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
restarts: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
startedAt: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
finishedAt: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Container %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>removed from the API at %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>%1 %2 (%3)
%4
at %5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>
seen %1 times</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::PodTableModel</name>
    <message>
        <source>phase %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAME</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NAMESPACE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>NODE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>READY</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>RESTARTS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>AGE</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>IP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>vk::console::PodTemplateDialog</name>
    <message>
        <source>Web server (runs until deleted)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Job (completes after 5 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Crashing container (restarts)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Slow start (pending 3 s, ready after 2 s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Env from a ConfigMap (created alongside)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>New pod from template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the template</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
