<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>QObject</name>
    <message>
        <source>line %1: JSON syntax error: %2</source>
        <translation>Zeile %1: JSON-Syntaxfehler: %2</translation>
    </message>
    <message>
        <source>line 1: the config must be an object keyed by node name</source>
        <translation>Zeile 1: Die Konfiguration muss ein Objekt mit Knotennamen als Schlüsseln sein</translation>
    </message>
    <message>
        <source>line %1: YAML syntax error: %2</source>
        <translation>Zeile %1: YAML-Syntaxfehler: %2</translation>
    </message>
    <message>
        <source>line %1: the config must be a mapping keyed by node name</source>
        <translation>Zeile %1: Die Konfiguration muss eine Zuordnung mit Knotennamen als Schlüsseln sein</translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message>
        <source>the node name is empty</source>
        <translation>der Knotenname ist leer</translation>
    </message>
    <message>
        <source>provider &quot;%1&quot; is not built in (known: %2)</source>
        <translation>Provider „%1“ ist nicht eingebaut (bekannt: %2)</translation>
    </message>
    <message>
        <source>cannot write a temporary file to check the config: %1</source>
        <translation>temporäre Datei zum Prüfen der Konfiguration kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>the config</source>
        <translation>die Konfiguration</translation>
    </message>
    <message>
        <source>%1 s ago</source>
        <translation>vor %1 s</translation>
    </message>
    <message>
        <source>%1 min ago</source>
        <translation>vor %1 min</translation>
    </message>
    <message>
        <source>%1 h ago</source>
        <translation>vor %1 h</translation>
    </message>
</context>
<context>
    <name>vk::console</name>
    <message>
        <source>the sandbox cluster is not running (it starts when you connect to it)</source>
        <translation>der Sandbox-Cluster läuft nicht (er startet, wenn Sie sich mit ihm verbinden)</translation>
    </message>
    <message>
        <source>kubeconfig file %1 does not exist</source>
        <translation>kubeconfig-Datei %1 existiert nicht</translation>
    </message>
    <message>
        <source>no kubeconfig context in %1</source>
        <translation>kein kubeconfig-Kontext in %1</translation>
    </message>
    <message>
        <source>context &quot;%1&quot; is not defined in %2</source>
        <translation>Kontext „%1“ ist in %2 nicht definiert</translation>
    </message>
    <message>
        <source>%1 sets no current-context: pick a context</source>
        <translation>%1 setzt keinen current-context: Wählen Sie einen Kontext</translation>
    </message>
</context>
<context>
    <name>vk::console::AgentHost</name>
    <message>
        <source>starting the sandbox cluster in %1</source>
        <translation>Sandbox-Cluster wird in %1 gestartet</translation>
    </message>
    <message>
        <source>The sandbox cluster did not start: %1</source>
        <translation>Der Sandbox-Cluster konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>sandbox cluster listening on %1; kubectl: export KUBECONFIG=%2</source>
        <translation>Sandbox-Cluster lauscht auf %1; kubectl: export KUBECONFIG=%2</translation>
    </message>
    <message>
        <source>connected to %1 (%2)</source>
        <translation>verbunden mit %1 (%2)</translation>
    </message>
    <message>
        <source>Connect to a cluster before starting a node.</source>
        <translation>Verbinden Sie sich mit einem Cluster, bevor Sie einen Knoten starten.</translation>
    </message>
    <message>
        <source>The node needs a name.</source>
        <translation>Der Knoten benötigt einen Namen.</translation>
    </message>
    <message>
        <source>Node %1 is already running in this console.</source>
        <translation>Knoten %1 läuft bereits in dieser Konsole.</translation>
    </message>
    <message>
        <source>the configuration of node %1</source>
        <translation>die Konfiguration von Knoten %1</translation>
    </message>
    <message>
        <source>%1: cannot write the provider configuration: %2</source>
        <translation>%1: Provider-Konfiguration kann nicht geschrieben werden: %2</translation>
    </message>
    <message>
        <source>labelling the node failed: %1</source>
        <translation>Setzen der Knoten-Labels fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>node labels applied</source>
        <translation>Knoten-Labels gesetzt</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>wird gestartet</translation>
    </message>
    <message>
        <source>stopping node %1 (its pods stay in the cluster)</source>
        <translation>Knoten %1 wird gestoppt (seine Pods bleiben im Cluster)</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>gestoppt</translation>
    </message>
    <message>
        <source>create</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>Not connected to a cluster.</source>
        <translation>Nicht mit einem Cluster verbunden.</translation>
    </message>
    <message>
        <source>the pod template</source>
        <translation>die Pod-Vorlage</translation>
    </message>
    <message>
        <source>document %1: kind &quot;%2&quot; (apiVersion &quot;%3&quot;) cannot be created from the console</source>
        <translation>Dokument %1: kind „%2“ (apiVersion „%3“) kann nicht aus der Konsole erstellt werden</translation>
    </message>
    <message>
        <source>create %1</source>
        <translation>Erstellen von %1</translation>
    </message>
    <message>
        <source>%1 created</source>
        <translation>%1 erstellt</translation>
    </message>
    <message>
        <source>delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>delete %1</source>
        <translation>Löschen von %1</translation>
    </message>
    <message>
        <source>%1 force deleted</source>
        <translation>%1 zwangsweise gelöscht</translation>
    </message>
    <message>
        <source>%1 deleted</source>
        <translation>%1 gelöscht</translation>
    </message>
    <message>
        <source># As written in the spec (the pod is not on a node of this console, so nothing is resolved)
</source>
        <translation># Wie in der Spec angegeben (der Pod liegt nicht auf einem Knoten dieser Konsole, daher wird nichts aufgelöst)
</translation>
    </message>
    <message>
        <source># As given to the provider, after env resolution
</source>
        <translation># Wie an den Provider übergeben, nach Auflösung der Umgebungsvariablen
</translation>
    </message>
    <message>
        <source>
container %1:
</source>
        <translation>
Container %1:
</translation>
    </message>
    <message>
        <source>  (no variables)
</source>
        <translation>  (keine Variablen)
</translation>
    </message>
</context>
<context>
    <name>vk::console::ConnectDialog</name>
    <message>
        <source>Connect to a cluster</source>
        <translation>Mit einem Cluster verbinden</translation>
    </message>
    <message>
        <source>Sandbox cluster</source>
        <translation>Sandbox-Cluster</translation>
    </message>
    <message>
        <source>▶  Use a &amp;sandbox cluster</source>
        <translation>▶  &amp;Sandbox-Cluster verwenden</translation>
    </message>
    <message>
        <source>Starts a Kubernetes API server inside VK Studio, on this machine: nothing to install, no kubeconfig needed. Ideal to try providers and watch pods.</source>
        <translation>Startet einen Kubernetes-API-Server in VK Studio auf diesem Rechner: keine Installation, keine kubeconfig nötig. Ideal, um Provider auszuprobieren und Pods zu beobachten.</translation>
    </message>
    <message>
        <source>Kubeconfig contexts</source>
        <translation>Kubeconfig-Kontexte</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Kontext</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>User</source>
        <translation>Benutzer</translation>
    </message>
    <message>
        <source>Namespace</source>
        <translation>Namespace</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>&amp;Add file…</source>
        <translation>Datei &amp;hinzufügen…</translation>
    </message>
    <message>
        <source>&amp;Reload</source>
        <translation>Neu &amp;laden</translation>
    </message>
    <message>
        <source>the context&apos;s namespace</source>
        <translation>Namespace des Kontexts</translation>
    </message>
    <message>
        <source>&amp;Namespace:</source>
        <translation>&amp;Namespace:</translation>
    </message>
    <message>
        <source>&amp;Test connection</source>
        <translation>Verbindung &amp;testen</translation>
    </message>
    <message>
        <source>&amp;Connect</source>
        <translation>&amp;Verbinden</translation>
    </message>
    <message>
        <source>Add a kubeconfig file</source>
        <translation>Kubeconfig-Datei hinzufügen</translation>
    </message>
    <message>
        <source>%1: the file does not exist</source>
        <translation>%1: Die Datei existiert nicht</translation>
    </message>
    <message>
        <source>current-context</source>
        <translation>current-context</translation>
    </message>
    <message>
        <source>No kubeconfig at %1: use the sandbox cluster, or add a file.</source>
        <translation>Keine kubeconfig unter %1: Verwenden Sie den Sandbox-Cluster oder fügen Sie eine Datei hinzu.</translation>
    </message>
    <message>
        <source>Read: %1</source>
        <translation>Gelesen: %1</translation>
    </message>
    <message>
        <source>Testing %1…</source>
        <translation>%1 wird getestet…</translation>
    </message>
    <message>
        <source>✓ Kubernetes %1 at %2, as %3, round trip %4 ms</source>
        <translation>✓ Kubernetes %1 unter %2, als %3, Antwortzeit %4 ms</translation>
    </message>
    <message>
        <source>✗ %1 failed: %2</source>
        <translation>✗ %1 fehlgeschlagen: %2</translation>
    </message>
</context>
<context>
    <name>vk::console::ConnectionTester</name>
    <message>
        <source>no answer from %1 within %2 ms</source>
        <translation>keine Antwort von %1 innerhalb von %2 ms</translation>
    </message>
    <message>
        <source> (the server&apos;s certificate is not signed by the certificate-authority of cluster &quot;%1&quot; in %2)</source>
        <translation> (das Zertifikat des Servers ist nicht von der certificate-authority des Clusters „%1“ in %2 signiert)</translation>
    </message>
    <message>
        <source>the handshake with %1 failed: %2%3</source>
        <translation>der Handshake mit %1 ist fehlgeschlagen: %2%3</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 rejected the credentials of user &quot;%2&quot; (%3 %4)</source>
        <translation>%1 hat die Anmeldedaten des Benutzers „%2“ abgelehnt (%3 %4)</translation>
    </message>
    <message>
        <source>GET %1/version: %2 %3</source>
        <translation>GET %1/version: %2 %3</translation>
    </message>
    <message>
        <source>GET %1/version did not answer a Kubernetes version</source>
        <translation>GET %1/version lieferte keine Kubernetes-Version</translation>
    </message>
    <message>
        <source>%1 (groups: %2)</source>
        <translation>%1 (Gruppen: %2)</translation>
    </message>
    <message>
        <source>%1 (certificate CN=%2)</source>
        <translation>%1 (Zertifikat CN=%2)</translation>
    </message>
    <message>
        <source>%1 (from the kubeconfig: the server has no SelfSubjectReview API)</source>
        <translation>%1 (aus der kubeconfig: Der Server hat keine SelfSubjectReview-API)</translation>
    </message>
    <message>
        <source>connected to %1</source>
        <translation>verbunden mit %1</translation>
    </message>
</context>
<context>
    <name>vk::console::LifecycleView</name>
    <message>
        <source>Select a pod (or a node in the tree) to see its lifecycle.</source>
        <translation>Wählen Sie einen Pod (oder einen Knoten im Baum) aus, um seinen Lebenszyklus zu sehen.</translation>
    </message>
    <message>
        <source>Nothing recorded yet for %1.</source>
        <translation>Für %1 wurde noch nichts aufgezeichnet.</translation>
    </message>
    <message>
        <source>
from %1 to %2 (%3 s)</source>
        <translation>
von %1 bis %2 (%3 s)</translation>
    </message>
    <message>
        <source>now</source>
        <translation>jetzt</translation>
    </message>
</context>
<context>
    <name>vk::console::LogView</name>
    <message>
        <source>&amp;Follow</source>
        <translation>&amp;Folgen</translation>
    </message>
    <message>
        <source>tail %1</source>
        <translation>letzte %1</translation>
    </message>
    <message>
        <source>all lines</source>
        <translation>alle Zeilen</translation>
    </message>
    <message>
        <source>since start</source>
        <translation>seit Start</translation>
    </message>
    <message>
        <source>last 1 min</source>
        <translation>letzte 1 min</translation>
    </message>
    <message>
        <source>last 5 min</source>
        <translation>letzte 5 min</translation>
    </message>
    <message>
        <source>last 1 h</source>
        <translation>letzte 1 h</translation>
    </message>
    <message>
        <source>&amp;Timestamps</source>
        <translation>&amp;Zeitstempel</translation>
    </message>
    <message>
        <source>&amp;Previous</source>
        <translation>&amp;Vorherige</translation>
    </message>
    <message>
        <source>The logs of the previous instance of the container (after a restart)</source>
        <translation>Die Logs der vorherigen Instanz des Containers (nach einem Neustart)</translation>
    </message>
    <message>
        <source>&amp;Wrap</source>
        <translation>&amp;Umbrechen</translation>
    </message>
    <message>
        <source>regex search…</source>
        <translation>Regex-Suche…</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>Vorheriger Treffer (Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>Nächster Treffer (F3)</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>Speichern…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Leeren</translation>
    </message>
    <message>
        <source>Select one or more pods and press Ctrl+L to see their logs.</source>
        <translation>Wählen Sie einen oder mehrere Pods aus und drücken Sie Ctrl+L, um ihre Logs zu sehen.</translation>
    </message>
    <message numerus="yes">
        <source>following %n pod(s)</source>
        <translation>
            <numerusform>%n Pod wird verfolgt</numerusform>
            <numerusform>%n Pods werden verfolgt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n pod(s)</source>
        <translation>
            <numerusform>%n Pod</numerusform>
            <numerusform>%n Pods</numerusform>
        </translation>
    </message>
    <message>
        <source>[%1] error: %2</source>
        <translation>[%1] Fehler: %2</translation>
    </message>
    <message>
        <source>ended</source>
        <translation>beendet</translation>
    </message>
    <message>
        <source>bad regex: %1</source>
        <translation>ungültiger regulärer Ausdruck: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n match(es)</source>
        <translation>
            <numerusform>%n Treffer</numerusform>
            <numerusform>%n Treffer</numerusform>
        </translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Save logs</source>
        <translation>Logs speichern</translation>
    </message>
</context>
<context>
    <name>vk::console::MainWindow</name>
    <message>
        <source>VK Studio</source>
        <translation>VK Studio</translation>
    </message>
    <message>
        <source>&amp;Connect…</source>
        <translation>&amp;Verbinden…</translation>
    </message>
    <message>
        <source>&amp;Sandbox cluster</source>
        <translation>&amp;Sandbox-Cluster</translation>
    </message>
    <message>
        <source>Start the embedded control plane and connect to it</source>
        <translation>Die eingebettete Control Plane starten und sich damit verbinden</translation>
    </message>
    <message>
        <source>&amp;Disconnect</source>
        <translation>&amp;Trennen</translation>
    </message>
    <message>
        <source>▶ Start &amp;node…</source>
        <translation>▶ &amp;Knoten starten…</translation>
    </message>
    <message>
        <source>■ S&amp;top node</source>
        <translation>■ Knoten &amp;stoppen</translation>
    </message>
    <message>
        <source>+ &amp;Pod from template…</source>
        <translation>+ Pod aus &amp;Vorlage…</translation>
    </message>
    <message>
        <source>&amp;Delete pod</source>
        <translation>&amp;Pod löschen</translation>
    </message>
    <message>
        <source>Fo&amp;rce delete pod</source>
        <translation>Pod &amp;zwangsweise löschen</translation>
    </message>
    <message>
        <source>Delete with --grace-period=0 --force</source>
        <translation>Mit --grace-period=0 --force löschen</translation>
    </message>
    <message>
        <source>&amp;Logs</source>
        <translation>&amp;Logs</translation>
    </message>
    <message>
        <source>&amp;Find pods</source>
        <translation>Pods &amp;suchen</translation>
    </message>
    <message>
        <source>&amp;Dark palette</source>
        <translation>&amp;Dunkle Farbpalette</translation>
    </message>
    <message>
        <source>&amp;About VK Studio</source>
        <translation>Ü&amp;ber VK Studio</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;Cluster</source>
        <translation>&amp;Cluster</translation>
    </message>
    <message>
        <source>&amp;Recent clusters</source>
        <translation>&amp;Zuletzt verwendete Cluster</translation>
    </message>
    <message>
        <source>&amp;Nodes</source>
        <translation>&amp;Knoten</translation>
    </message>
    <message>
        <source>&amp;Pods</source>
        <translation>&amp;Pods</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptwerkzeugleiste</translation>
    </message>
    <message>
        <source>all phases</source>
        <translation>alle Phasen</translation>
    </message>
    <message>
        <source>all namespaces</source>
        <translation>alle Namespaces</translation>
    </message>
    <message>
        <source>all nodes</source>
        <translation>alle Knoten</translation>
    </message>
    <message>
        <source>filter pods (Ctrl+F)</source>
        <translation>Pods filtern (Ctrl+F)</translation>
    </message>
    <message>
        <source>Clusters</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Lifecycle</source>
        <translation>Lebenszyklus</translation>
    </message>
    <message>
        <source>Logs</source>
        <translation>Logs</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Object</source>
        <translation>Objekt</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Meldung</translation>
    </message>
    <message>
        <source>Events</source>
        <translation>Ereignisse</translation>
    </message>
    <message>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <source>Env</source>
        <translation>Umgebung</translation>
    </message>
    <message>
        <source>Agent log</source>
        <translation>Agent-Log</translation>
    </message>
    <message>
        <source>○ not connected</source>
        <translation>○ nicht verbunden</translation>
    </message>
    <message>
        <source>agent: no nodes</source>
        <translation>Agent: keine Knoten</translation>
    </message>
    <message>
        <source>last error: none</source>
        <translation>letzter Fehler: keiner</translation>
    </message>
    <message>
        <source>%1
kubectl: export KUBECONFIG=%2</source>
        <translation>%1
kubectl: export KUBECONFIG=%2</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source># %1 no longer exists</source>
        <translation># %1 existiert nicht mehr</translation>
    </message>
    <message>
        <source>API %1 req/s, %2 errors</source>
        <translation>API %1 Anfragen/s, %2 Fehler</translation>
    </message>
    <message>
        <source>API %1 req/s</source>
        <translation>API %1 Anfragen/s</translation>
    </message>
    <message>
        <source>pod %1</source>
        <translation>Pod %1</translation>
    </message>
    <message numerus="yes">
        <source>%n pods</source>
        <translation>
            <numerusform>%n Pod</numerusform>
            <numerusform>%n Pods</numerusform>
        </translation>
    </message>
    <message>
        <source>Force delete %1?</source>
        <translation>%1 zwangsweise löschen?</translation>
    </message>
    <message>
        <source>Delete %1?</source>
        <translation>%1 löschen?</translation>
    </message>
    <message>
        <source>The API object is removed at once (--grace-period=0 --force), whether or not the provider has stopped the containers.</source>
        <translation>Das API-Objekt wird sofort entfernt (--grace-period=0 --force), unabhängig davon, ob der Provider die Container gestoppt hat.</translation>
    </message>
    <message>
        <source>The pod gets its termination grace period; the node&apos;s provider stops its containers.</source>
        <translation>Der Pod erhält seine Frist zum ordnungsgemäßen Beenden; der Provider des Knotens stoppt seine Container.</translation>
    </message>
    <message>
        <source>Force delete</source>
        <translation>Löschen erzwingen</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>node %1</source>
        <translation>Knoten %1</translation>
    </message>
    <message>
        <source>◌ connecting to %1…</source>
        <translation>◌ Verbindung zu %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>Connecting to %1…</source>
        <translation>Verbindung zu %1 wird hergestellt…</translation>
    </message>
    <message>
        <source>● %1 (%2) connected</source>
        <translation>● %1 (%2) verbunden</translation>
    </message>
    <message>
        <source>Connected to %1, Kubernetes %2</source>
        <translation>Verbunden mit %1, Kubernetes %2</translation>
    </message>
    <message>
        <source>VK Studio — %1</source>
        <translation>VK Studio — %1</translation>
    </message>
    <message>
        <source>✗ %1: connection failed</source>
        <translation>✗ %1: Verbindung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cannot connect to %1: %2</source>
        <translation>Verbindung zu %1 nicht möglich: %2</translation>
    </message>
    <message>
        <source>  ● Ready</source>
        <translation>  ● Ready</translation>
    </message>
    <message>
        <source>  ○ NotReady</source>
        <translation>  ○ NotReady</translation>
    </message>
    <message>
        <source>  [%1 · %2]</source>
        <translation>  [%1 · %2]</translation>
    </message>
    <message>
        <source>Node %1 failed: %2</source>
        <translation>Knoten %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Registering node %1…</source>
        <translation>Knoten %1 wird registriert…</translation>
    </message>
    <message>
        <source>Node %1 is Ready</source>
        <translation>Knoten %1 ist Ready</translation>
    </message>
    <message numerus="yes">
        <source>agent ● running · %n node(s)</source>
        <translation>
            <numerusform>Agent ● läuft · %n Knoten</numerusform>
            <numerusform>Agent ● läuft · %n Knoten</numerusform>
        </translation>
    </message>
    <message>
        <source>seen %1 times since %2</source>
        <translation>seit %2 %1-mal gesehen</translation>
    </message>
    <message>
        <source>last error: %1</source>
        <translation>letzter Fehler: %1</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>(noch keine)</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>About VK Studio</source>
        <translation>Über VK Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;VK Studio %1&lt;/h3&gt;&lt;p&gt;A desktop console with an embedded virtual-kubelet agent.&lt;/p&gt;&lt;p&gt;Qt %2 (built with %3)&lt;br&gt;%4&lt;br&gt;Kubernetes API v1.32 (sandbox)&lt;/p&gt;&lt;p&gt;Licensed under the Apache License 2.0.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;VK Studio %1&lt;/h3&gt;&lt;p&gt;Eine Desktop-Konsole mit eingebettetem virtual-kubelet-Agenten.&lt;/p&gt;&lt;p&gt;Qt %2 (erstellt mit %3)&lt;br&gt;%4&lt;br&gt;Kubernetes API v1.32 (Sandbox)&lt;/p&gt;&lt;p&gt;Lizenziert unter der Apache License 2.0.&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>vk::console::NodeDialog</name>
    <message>
        <source>Start a virtual node</source>
        <translation>Virtuellen Knoten starten</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>The Node object&apos;s name: lower-case letters, digits, &apos;-&apos; and &apos;.&apos;</source>
        <translation>Name des Node-Objekts: Kleinbuchstaben, Ziffern, &apos;-&apos; und &apos;.&apos;</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Provider:</source>
        <translation>&amp;Provider:</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Kapazität</translation>
    </message>
    <message>
        <source>Written into the node&apos;s entry of the provider config; empty: the provider&apos;s default</source>
        <translation>Wird in den Eintrag des Knotens in der Provider-Konfiguration geschrieben; leer: Standardwert des Providers</translation>
    </message>
    <message>
        <source>&amp;CPU:</source>
        <translation>&amp;CPU:</translation>
    </message>
    <message>
        <source>&amp;Memory:</source>
        <translation>&amp;Arbeitsspeicher:</translation>
    </message>
    <message>
        <source>P&amp;ods:</source>
        <translation>P&amp;ods:</translation>
    </message>
    <message>
        <source>Taint</source>
        <translation>Taint</translation>
    </message>
    <message>
        <source>Taint the node so that only pods tolerating it land there</source>
        <translation>Den Knoten mit einem Taint versehen, sodass nur Pods mit passender Toleration dort landen</translation>
    </message>
    <message>
        <source>&amp;Key:</source>
        <translation>Sc&amp;hlüssel:</translation>
    </message>
    <message>
        <source>&amp;Value:</source>
        <translation>&amp;Wert:</translation>
    </message>
    <message>
        <source>&amp;Effect:</source>
        <translation>&amp;Effekt:</translation>
    </message>
    <message>
        <source>Labels</source>
        <translation>Labels</translation>
    </message>
    <message>
        <source>key=value, one per line</source>
        <translation>Schlüssel=Wert, eines pro Zeile</translation>
    </message>
    <message>
        <source>API client</source>
        <translation>API-Client</translation>
    </message>
    <message>
        <source>--kube-api-qps: requests per second to the API server (0: unlimited)</source>
        <translation>--kube-api-qps: Anfragen pro Sekunde an den API-Server (0: unbegrenzt)</translation>
    </message>
    <message>
        <source>&amp;QPS:</source>
        <translation>&amp;QPS:</translation>
    </message>
    <message>
        <source>--kube-api-burst</source>
        <translation>--kube-api-burst</translation>
    </message>
    <message>
        <source>&amp;Burst:</source>
        <translation>&amp;Burst:</translation>
    </message>
    <message>
        <source>Provider config</source>
        <translation>Provider-Konfiguration</translation>
    </message>
    <message>
        <source>&amp;Templates</source>
        <translation>&amp;Vorlagen</translation>
    </message>
    <message>
        <source>Empty: the provider&apos;s defaults. JSON or YAML keyed by node name.</source>
        <translation>Leer: Standardwerte des Providers. JSON oder YAML mit Knotennamen als Schlüsseln.</translation>
    </message>
    <message>
        <source>&amp;Start node</source>
        <translation>Knoten &amp;starten</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>YAML</source>
        <translation>YAML</translation>
    </message>
    <message>
        <source>Mock: defaults</source>
        <translation>Mock: Standardwerte</translation>
    </message>
    <message>
        <source>Mock: slow start (pending 2 s, ready 1.5 s)</source>
        <translation>Mock: langsamer Start (Pending 2 s, Ready 1,5 s)</translation>
    </message>
    <message>
        <source>Mock: flaky (readiness flapping, restarts)</source>
        <translation>Mock: unzuverlässig (wechselnde Readiness, Neustarts)</translation>
    </message>
    <message>
        <source>Mock: failing pods (crash, back-off, give up after 2 restarts)</source>
        <translation>Mock: fehlschlagende Pods (Absturz, Back-off, Aufgabe nach 2 Neustarts)</translation>
    </message>
    <message>
        <source>Mock: chatty logs (10 lines/s per container)</source>
        <translation>Mock: gesprächige Logs (10 Zeilen/s pro Container)</translation>
    </message>
    <message>
        <source>Mock: GPU node (4 nvidia.com/gpu)</source>
        <translation>Mock: GPU-Knoten (4 nvidia.com/gpu)</translation>
    </message>
    <message>
        <source>No templates for this provider</source>
        <translation>Keine Vorlagen für diesen Provider</translation>
    </message>
    <message>
        <source>Labels, line %1: expected key=value</source>
        <translation>Labels, Zeile %1: Schlüssel=Wert erwartet</translation>
    </message>
    <message>
        <source>Labels, line %1: &quot;%2&quot; is not a valid label key</source>
        <translation>Labels, Zeile %1: „%2“ ist kein gültiger Label-Schlüssel</translation>
    </message>
    <message>
        <source>Labels, line %1: &quot;%2&quot; is not a valid label value</source>
        <translation>Labels, Zeile %1: „%2“ ist kein gültiger Label-Wert</translation>
    </message>
    <message>
        <source>Node name: required</source>
        <translation>Knotenname: erforderlich</translation>
    </message>
    <message>
        <source>Node name: &quot;%1&quot; must be lower-case letters, digits, &apos;-&apos; and &apos;.&apos;, starting and ending with a letter or digit</source>
        <translation>Knotenname: „%1“ darf nur aus Kleinbuchstaben, Ziffern, &apos;-&apos; und &apos;.&apos; bestehen und muss mit einem Buchstaben oder einer Ziffer beginnen und enden</translation>
    </message>
    <message>
        <source>Provider: no provider is built in</source>
        <translation>Provider: Es ist kein Provider eingebaut</translation>
    </message>
    <message>
        <source>Taint: &quot;%1&quot; is not a valid key</source>
        <translation>Taint: „%1“ ist kein gültiger Schlüssel</translation>
    </message>
    <message>
        <source>Taint: &quot;%1&quot; is not a valid value</source>
        <translation>Taint: „%1“ ist kein gültiger Wert</translation>
    </message>
    <message>
        <source>✓ The configuration is valid.</source>
        <translation>✓ Die Konfiguration ist gültig.</translation>
    </message>
    <message>
        <source>Line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
</context>
<context>
    <name>vk::console::NodePanel</name>
    <message>
        <source>Condition</source>
        <translation>Bedingung</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Grund</translation>
    </message>
    <message>
        <source>Heartbeat</source>
        <translation>Heartbeat</translation>
    </message>
    <message>
        <source>Transition</source>
        <translation>Übergang</translation>
    </message>
    <message>
        <source>pods</source>
        <translation>Pods</translation>
    </message>
    <message>
        <source>cpu</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>memory</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>taints</source>
        <translation>Taints</translation>
    </message>
    <message>
        <source>addresses</source>
        <translation>Adressen</translation>
    </message>
    <message>
        <source>info</source>
        <translation>Info</translation>
    </message>
    <message>
        <source>No node selected</source>
        <translation>Kein Knoten ausgewählt</translation>
    </message>
    <message>
        <source>Select a node in the tree on the left.</source>
        <translation>Wählen Sie links im Baum einen Knoten aus.</translation>
    </message>
    <message>
        <source>NODE  %1</source>
        <translation>KNOTEN  %1</translation>
    </message>
    <message>
        <source>agent: %1 (%2)</source>
        <translation>Agent: %1 (%2)</translation>
    </message>
    <message>
        <source> · lease renewed %1 (%2×)</source>
        <translation> · Lease erneuert %1 (%2×)</translation>
    </message>
    <message>
        <source> · kubelet API :%1</source>
        <translation> · kubelet-API :%1</translation>
    </message>
    <message>
        <source>not run by this console</source>
        <translation>nicht von dieser Konsole ausgeführt</translation>
    </message>
    <message>
        <source>%1=%2
reason: %3
message: %4
lastHeartbeatTime: %5
lastTransitionTime: %6</source>
        <translation>%1=%2
Grund: %3
Meldung: %4
lastHeartbeatTime: %5
lastTransitionTime: %6</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>%1 / %2 cores requested</source>
        <translation>%1 / %2 Kerne angefordert</translation>
    </message>
    <message>
        <source>%1 / %2 requested</source>
        <translation>%1 / %2 angefordert</translation>
    </message>
    <message>
        <source>capacity %1, allocatable %2</source>
        <translation>Kapazität %1, zuteilbar %2</translation>
    </message>
    <message>
        <source>(cordoned)</source>
        <translation>(cordoned)</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>kubelet %1
providerID %2
kubelet port %3</source>
        <translation>kubelet %1
providerID %2
kubelet-Port %3</translation>
    </message>
</context>
<context>
    <name>vk::console::PodHistory</name>
    <message>
        <source>%1 — STATUS %2</source>
        <translation>%1 — STATUS %2</translation>
    </message>
    <message>
        <source>%1=%2</source>
        <translation>%1=%2</translation>
    </message>
    <message>
        <source>
reason: %1</source>
        <translation>
Grund: %1</translation>
    </message>
    <message>
        <source>
message: %1</source>
        <translation>
Meldung: %1</translation>
    </message>
    <message>
        <source>
lastTransitionTime: %1</source>
        <translation>
lastTransitionTime: %1</translation>
    </message>
    <message>
        <source>running, ready</source>
        <translation>läuft, bereit</translation>
    </message>
    <message>
        <source>running, not ready</source>
        <translation>läuft, nicht bereit</translation>
    </message>
    <message>
        <source>running, starting</source>
        <translation>läuft, startet</translation>
    </message>
    <message>
        <source>terminated: %1 (exit %2)</source>
        <translation>terminiert: %1 (Exit-Code %2)</translation>
    </message>
    <message>
        <source>exited</source>
        <translation>beendet</translation>
    </message>
    <message>
        <source>container %1: %2</source>
        <translation>Container %1: %2</translation>
    </message>
    <message>
        <source>
restarts: %1</source>
        <translation>
Neustarts: %1</translation>
    </message>
    <message>
        <source>
startedAt: %1</source>
        <translation>
startedAt: %1</translation>
    </message>
    <message>
        <source>
finishedAt: %1</source>
        <translation>
finishedAt: %1</translation>
    </message>
    <message>
        <source>Container %1</source>
        <translation>Container %1</translation>
    </message>
    <message>
        <source>Deleted</source>
        <translation>Gelöscht</translation>
    </message>
    <message>
        <source>removed from the API at %1</source>
        <translation>um %1 aus der API entfernt</translation>
    </message>
    <message>
        <source>%1 %2 (%3)
%4
at %5</source>
        <translation>%1 %2 (%3)
%4
um %5</translation>
    </message>
    <message>
        <source>
seen %1 times</source>
        <translation>
%1-mal gesehen</translation>
    </message>
</context>
<context>
    <name>vk::console::PodTableModel</name>
    <message>
        <source>phase %1</source>
        <translation>Phase %1</translation>
    </message>
    <message>
        <source>NAME</source>
        <translation>NAME</translation>
    </message>
    <message>
        <source>NAMESPACE</source>
        <translation>NAMESPACE</translation>
    </message>
    <message>
        <source>NODE</source>
        <translation>NODE</translation>
    </message>
    <message>
        <source>STATUS</source>
        <translation>STATUS</translation>
    </message>
    <message>
        <source>READY</source>
        <translation>READY</translation>
    </message>
    <message>
        <source>RESTARTS</source>
        <translation>RESTARTS</translation>
    </message>
    <message>
        <source>AGE</source>
        <translation>AGE</translation>
    </message>
    <message>
        <source>IP</source>
        <translation>IP</translation>
    </message>
</context>
<context>
    <name>vk::console::PodTemplateDialog</name>
    <message>
        <source>Web server (runs until deleted)</source>
        <translation>Webserver (läuft bis zum Löschen)</translation>
    </message>
    <message>
        <source>Job (completes after 5 s)</source>
        <translation>Job (endet nach 5 s)</translation>
    </message>
    <message>
        <source>Crashing container (restarts)</source>
        <translation>Abstürzender Container (Neustarts)</translation>
    </message>
    <message>
        <source>Slow start (pending 3 s, ready after 2 s)</source>
        <translation>Langsamer Start (Pending 3 s, Ready nach 2 s)</translation>
    </message>
    <message>
        <source>Env from a ConfigMap (created alongside)</source>
        <translation>Umgebung aus einer ConfigMap (wird mit erstellt)</translation>
    </message>
    <message>
        <source>New pod from template</source>
        <translation>Neuer Pod aus Vorlage</translation>
    </message>
    <message>
        <source>&amp;Create</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>the template</source>
        <translation>die Vorlage</translation>
    </message>
</context>
</TS>
