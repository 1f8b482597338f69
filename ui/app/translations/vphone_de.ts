<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>AccountDialog</name>
    <message>
        <source>Add account</source>
        <translation>Konto hinzufügen</translation>
    </message>
    <message>
        <source>Edit account</source>
        <translation>Konto bearbeiten</translation>
    </message>
</context>
<context>
    <name>AccountForm</name>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>alice@sip.example.com</source>
        <translation>alice@sip.example.com</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>(unchanged)</source>
        <translation>(unverändert)</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Ihr Name</translation>
    </message>
    <message>
        <source>Shown to the people you call</source>
        <translation>Wird Angerufenen angezeigt</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Only if it differs from the address</source>
        <translation>Nur wenn er von der Adresse abweicht</translation>
    </message>
    <message>
        <source>Registrar</source>
        <translation>Registrar</translation>
    </message>
    <message>
        <source>The address&apos;s domain</source>
        <translation>Die Domain der Adresse</translation>
    </message>
    <message>
        <source>Proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Keiner</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <source>UDP</source>
        <translation>UDP</translation>
    </message>
    <message>
        <source>TCP</source>
        <translation>TCP</translation>
    </message>
    <message>
        <source>TLS (encrypted)</source>
        <translation>TLS (verschlüsselt)</translation>
    </message>
    <message>
        <source>Media encryption</source>
        <translation>Medienverschlüsselung</translation>
    </message>
    <message>
        <source>As in Calls &amp; media</source>
        <translation>Wie unter Anrufe &amp; Medien</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>When the other side can (SRTP optional)</source>
        <translation>Wenn die Gegenseite kann (SRTP optional)</translation>
    </message>
    <message>
        <source>Always (SRTP mandatory)</source>
        <translation>Immer (SRTP verpflichtend)</translation>
    </message>
    <message>
        <source>STUN server</source>
        <translation>STUN-Server</translation>
    </message>
    <message>
        <source>As in Ports (e.g. stun.example.org:3478)</source>
        <translation>Wie unter Ports (z. B. stun.example.org:3478)</translation>
    </message>
</context>
<context>
    <name>AccountListModel</name>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>There is no refused certificate to trust for this account</source>
        <translation>Für dieses Konto gibt es kein abgelehntes Zertifikat, dem vertraut werden könnte</translation>
    </message>
    <message>
        <source>The profile has no folder to keep the certificate in</source>
        <translation>Das Profil hat keinen Ordner für das Zertifikat</translation>
    </message>
    <message>
        <source>Cannot store the certificate in %1: %2</source>
        <translation>Das Zertifikat kann nicht in %1 gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Cannot remove %1: %2</source>
        <translation>%1 kann nicht entfernt werden: %2</translation>
    </message>
    <message>
        <source>The server&apos;s certificate changed since you trusted it</source>
        <translation>Das Zertifikat des Servers hat sich geändert, seit Sie ihm vertraut haben</translation>
    </message>
    <message>
        <source>Certificate not trusted: the server&apos;s identity could not be verified</source>
        <translation>Zertifikat nicht vertrauenswürdig: die Identität des Servers ließ sich nicht prüfen</translation>
    </message>
</context>
<context>
    <name>AddParticipantDialog</name>
    <message>
        <source>Add participant</source>
        <translation>Teilnehmer hinzufügen</translation>
    </message>
    <message>
        <source>Who should join? They are called and join the conference when they answer.</source>
        <translation>Wer soll dazukommen? Die Person wird angerufen und nimmt an der Konferenz teil, sobald sie annimmt.</translation>
    </message>
    <message>
        <source>Call into the conference</source>
        <translation>In die Konferenz holen</translation>
    </message>
</context>
<context>
    <name>AddressField</name>
    <message>
        <source>Name, number or sip:address</source>
        <translation>Name, Nummer oder sip:Adresse</translation>
    </message>
</context>
<context>
    <name>CallItem</name>
    <message>
        <source>You hung up</source>
        <translation>Sie haben aufgelegt</translation>
    </message>
    <message>
        <source>They hung up</source>
        <translation>Die Gegenseite hat aufgelegt</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>Audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>Codec</source>
        <translation>Codec</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Bildrate</translation>
    </message>
    <message>
        <source>%1 sent, %2 received (fps)</source>
        <translation>%1 gesendet, %2 empfangen (fps)</translation>
    </message>
    <message>
        <source>Bitrate</source>
        <translation>Bitrate</translation>
    </message>
    <message>
        <source>%1 sent, %2 received (kbit/s)</source>
        <translation>%1 gesendet, %2 empfangen (kbit/s)</translation>
    </message>
    <message>
        <source>Recovery</source>
        <translation>Wiederherstellung</translation>
    </message>
    <message>
        <source>%1 keyframes, %2 PLI, %3 FIR, %4 NACK</source>
        <translation>%1 Schlüsselbilder, %2 PLI, %3 FIR, %4 NACK</translation>
    </message>
    <message>
        <source>Packets</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>%1 sent, %2 received, %3 lost</source>
        <translation>%1 gesendet, %2 empfangen, %3 verloren</translation>
    </message>
    <message>
        <source>Jitter</source>
        <translation>Jitter</translation>
    </message>
    <message>
        <source>%1 ms (buffer %2 ms)</source>
        <translation>%1 ms (Puffer %2 ms)</translation>
    </message>
    <message>
        <source>Round trip</source>
        <translation>Umlaufzeit</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Encryption</source>
        <translation>Verschlüsselung</translation>
    </message>
    <message>
        <source>SRTP %1 (%2 keys)</source>
        <translation>SRTP %1 (%2-Schlüssel)</translation>
    </message>
    <message>
        <source>none: RTP in the clear</source>
        <translation>keine: RTP unverschlüsselt</translation>
    </message>
    <message>
        <source> %1 kbit/s</source>
        <translation> %1 kbit/s</translation>
    </message>
    <message>
        <source>loss %1 %</source>
        <translation>Verlust %1 %</translation>
    </message>
    <message>
        <source>jitter %1 ms</source>
        <translation>Jitter %1 ms</translation>
    </message>
    <message>
        <source>RTT %1 ms</source>
        <translation>RTT %1 ms</translation>
    </message>
    <message>
        <source>not encrypted</source>
        <translation>nicht verschlüsselt</translation>
    </message>
    <message>
        <source>SRTP %1</source>
        <translation>SRTP %1</translation>
    </message>
    <message>
        <source>Transferring…</source>
        <translation>Wird vermittelt…</translation>
    </message>
    <message>
        <source>Transfer failed: %1</source>
        <translation>Vermittlung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>not sent</source>
        <translation>nicht gesendet</translation>
    </message>
    <message>
        <source>Transferring to %1…</source>
        <translation>Wird an %1 vermittelt…</translation>
    </message>
    <message>
        <source>Transfer failed: not sent</source>
        <translation>Vermittlung fehlgeschlagen: nicht gesendet</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>Vermittelt</translation>
    </message>
    <message>
        <source>Transferring… %1</source>
        <translation>Wird vermittelt… %1</translation>
    </message>
    <message>
        <source>Adding %1…</source>
        <translation>%1 wird hinzugefügt…</translation>
    </message>
    <message>
        <source>Add failed: %1</source>
        <translation>Hinzufügen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Added to the conference</source>
        <translation>Zur Konferenz hinzugefügt</translation>
    </message>
    <message>
        <source>Adding… %1</source>
        <translation>Wird hinzugefügt… %1</translation>
    </message>
</context>
<context>
    <name>CallList</name>
    <message>
        <source>Calls</source>
        <translation>Anrufe</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No calls yet</source>
        <translation>Noch keine Anrufe</translation>
    </message>
    <message>
        <source>Calling</source>
        <translation>Wählt</translation>
    </message>
    <message>
        <source>Trying</source>
        <translation>Verbindet</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Klingelt</translation>
    </message>
    <message>
        <source>Incoming</source>
        <translation>Eingehend</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>Im Gespräch</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Gehalten</translation>
    </message>
    <message>
        <source>Ended</source>
        <translation>Beendet</translation>
    </message>
</context>
<context>
    <name>CallView</name>
    <message>
        <source>On hold by the other side</source>
        <translation>Von der Gegenseite gehalten</translation>
    </message>
    <message>
        <source>Unmute</source>
        <translation>Mikrofon an</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Stumm</translation>
    </message>
    <message>
        <source>Microphone on or off (Ctrl+M)</source>
        <translation>Mikrofon an oder aus (Strg+M)</translation>
    </message>
    <message>
        <source>Camera off</source>
        <translation>Kamera aus</translation>
    </message>
    <message>
        <source>Camera on</source>
        <translation>Kamera an</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Halten</translation>
    </message>
    <message>
        <source>Keypad</source>
        <translation>Tastenfeld</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <source>End the call (Esc, Ctrl+E)</source>
        <translation>Anruf beenden (Esc, Strg+E)</translation>
    </message>
    <message>
        <source>Calling…</source>
        <translation>Wählt…</translation>
    </message>
    <message>
        <source>Trying…</source>
        <translation>Verbindet…</translation>
    </message>
    <message>
        <source>Ringing…</source>
        <translation>Klingelt…</translation>
    </message>
    <message>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <source>In call</source>
        <translation>Im Gespräch</translation>
    </message>
    <message>
        <source>On hold</source>
        <translation>Gehalten</translation>
    </message>
    <message>
        <source>Call ended</source>
        <translation>Anruf beendet</translation>
    </message>
    <message>
        <source>● REC</source>
        <translation>● AUFN</translation>
    </message>
    <message>
        <source>Recording to %1</source>
        <translation>Aufnahme nach %1</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Stop recording</source>
        <translation>Aufnahme beenden</translation>
    </message>
    <message>
        <source>Record</source>
        <translation>Aufnehmen</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Geräte</translation>
    </message>
    <message>
        <source>Switch the microphone or speaker of this call</source>
        <translation>Mikrofon oder Lautsprecher dieses Anrufs wechseln</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>None (send silence)</source>
        <translation>Keines (Stille senden)</translation>
    </message>
    <message>
        <source>None (mute)</source>
        <translation>Keiner (stumm)</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Lautsprecher</translation>
    </message>
    <message>
        <source>Merge calls</source>
        <translation>Anrufe zusammenführen</translation>
    </message>
    <message>
        <source>Join the calls that are up or on hold into one conference</source>
        <translation>Die laufenden und gehaltenen Anrufe zu einer Konferenz zusammenführen</translation>
    </message>
    <message>
        <source>Add participant</source>
        <translation>Teilnehmer hinzufügen</translation>
    </message>
    <message>
        <source>Transfer…</source>
        <translation>Vermitteln…</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Add to conference…</source>
        <translation>Zur Konferenz hinzufügen…</translation>
    </message>
    <message>
        <source>Ask the conference to call someone in</source>
        <translation>Die Konferenz bitten, jemanden dazuzuholen</translation>
    </message>
    <message>
        <source>Add to conference</source>
        <translation>Zur Konferenz hinzufügen</translation>
    </message>
    <message>
        <source>Who should join? The conference calls them in.</source>
        <translation>Wer soll dazukommen? Die Konferenz ruft die Person an.</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Conference</source>
        <translation>Konferenz</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>verbunden</translation>
    </message>
    <message>
        <source>left</source>
        <translation>gegangen</translation>
    </message>
    <message>
        <source>on hold</source>
        <translation>gehalten</translation>
    </message>
    <message>
        <source>ringing</source>
        <translation>klingelt</translation>
    </message>
    <message>
        <source>being called</source>
        <translation>wird angerufen</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
</context>
<context>
    <name>CertificateDialog</name>
    <message>
        <source>The server&apos;s certificate changed</source>
        <translation>Das Zertifikat des Servers hat sich geändert</translation>
    </message>
    <message>
        <source>Certificate not trusted</source>
        <translation>Zertifikat nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>Trust this certificate</source>
        <translation>Diesem Zertifikat vertrauen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>The server %1 now presents a different certificate from the one you trusted. This can mean someone is intercepting the connection, or that the server&apos;s certificate was replaced. Trust the new one only if the server&apos;s administrator confirms its fingerprint.</source>
        <translation>Der Server %1 zeigt jetzt ein anderes Zertifikat als das, dem Sie vertraut haben. Das kann bedeuten, dass jemand die Verbindung abfängt, oder dass das Zertifikat des Servers ersetzt wurde. Vertrauen Sie dem neuen nur, wenn der Administrator des Servers seinen Fingerabdruck bestätigt.</translation>
    </message>
    <message>
        <source>The identity of %1 could not be verified (the reason is below). Trust this certificate only if you know this fingerprint is the server&apos;s (ask its administrator). It will be accepted for this account from now on, and any other certificate refused.</source>
        <translation>Die Identität von %1 ließ sich nicht prüfen (der Grund steht unten). Vertrauen Sie diesem Zertifikat nur, wenn Sie wissen, dass dieser Fingerabdruck der des Servers ist (fragen Sie seinen Administrator). Es wird für dieses Konto von nun an angenommen und jedes andere Zertifikat abgelehnt.</translation>
    </message>
    <message>
        <source>Issued to:</source>
        <translation>Ausgestellt für:</translation>
    </message>
    <message>
        <source>Issued by:</source>
        <translation>Ausgestellt von:</translation>
    </message>
    <message>
        <source>%1 (self-signed)</source>
        <translation>%1 (selbst signiert)</translation>
    </message>
    <message>
        <source>Valid from:</source>
        <translation>Gültig ab:</translation>
    </message>
    <message>
        <source>Valid until:</source>
        <translation>Gültig bis:</translation>
    </message>
    <message>
        <source>SHA-256:</source>
        <translation>SHA-256:</translation>
    </message>
    <message>
        <source>Trusted before:</source>
        <translation>Bisher vertraut:</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Chat with %1</source>
        <translation>Chat mit %1</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>wartet</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>gesendet</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>zugestellt</translation>
    </message>
    <message>
        <source>not delivered</source>
        <translation>nicht zugestellt</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
</context>
<context>
    <name>ChatsPane</name>
    <message>
        <source>New chat: address, then Enter</source>
        <translation>Neuer Chat: Adresse, dann Enter</translation>
    </message>
    <message>
        <source>No messages yet</source>
        <translation>Noch keine Nachrichten</translation>
    </message>
</context>
<context>
    <name>ConferenceMember</name>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
</context>
<context>
    <name>ConferenceModel</name>
    <message>
        <source>You</source>
        <translation>Sie</translation>
    </message>
</context>
<context>
    <name>ConferenceView</name>
    <message>
        <source>Starting the picture…</source>
        <translation>Bild wird gestartet…</translation>
    </message>
    <message>
        <source>Joining…</source>
        <translation>Tritt bei…</translation>
    </message>
    <message>
        <source>Participants (%1)</source>
        <translation>Teilnehmer (%1)</translation>
    </message>
    <message>
        <source>Host</source>
        <translation>Gastgeber</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Hang up on %1</source>
        <translation>%1 auflegen</translation>
    </message>
    <message>
        <source>Conference · %1 participants</source>
        <translation>Konferenz · %1 Teilnehmer</translation>
    </message>
    <message>
        <source>Add participant</source>
        <translation>Teilnehmer hinzufügen</translation>
    </message>
    <message>
        <source>Merge calls</source>
        <translation>Anrufe zusammenführen</translation>
    </message>
    <message>
        <source>Bring the other calls into the conference</source>
        <translation>Die anderen Anrufe in die Konferenz holen</translation>
    </message>
    <message>
        <source>Leave conference</source>
        <translation>Konferenz verlassen</translation>
    </message>
    <message>
        <source>End the conference: everyone is hung up</source>
        <translation>Konferenz beenden: bei allen wird aufgelegt</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <source>Edit contact</source>
        <translation>Kontakt bearbeiten</translation>
    </message>
    <message>
        <source>New contact</source>
        <translation>Neuer Kontakt</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>SIP addresses</source>
        <translation>SIP-Adressen</translation>
    </message>
    <message>
        <source>alice@example.com, …</source>
        <translation>alice@example.com, …</translation>
    </message>
    <message>
        <source>Numbers</source>
        <translation>Nummern</translation>
    </message>
    <message>
        <source>+49 30 1234567, …</source>
        <translation>+49 30 1234567, …</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Notiz</translation>
    </message>
    <message>
        <source>Favourite</source>
        <translation>Favorit</translation>
    </message>
    <message>
        <source>Show line state (BLF)</source>
        <translation>Leitungsstatus zeigen (BLF)</translation>
    </message>
    <message>
        <source>Delete contact</source>
        <translation>Kontakt löschen</translation>
    </message>
</context>
<context>
    <name>ContactListModel</name>
    <message>
        <source>No contact %1</source>
        <translation>Kein Kontakt %1</translation>
    </message>
    <message>
        <source>No contacts database</source>
        <translation>Keine Kontaktdatenbank</translation>
    </message>
    <message>
        <source>Import failed: %1</source>
        <translation>Import fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n imported</source>
        <translation>
            <numerusform>%n importiert</numerusform>
            <numerusform>%n importiert</numerusform>
        </translation>
    </message>
    <message>
        <source>line %1: %2</source>
        <translation>Zeile %1: %2</translation>
    </message>
    <message numerus="yes">
        <source>, %n rejected: </source>
        <translation>
            <numerusform>, %n abgelehnt: </numerusform>
            <numerusform>, %n abgelehnt: </numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>Export fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n exported to %1</source>
        <translation>
            <numerusform>%n nach %1 exportiert</numerusform>
            <numerusform>%n nach %1 exportiert</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContactsPane</name>
    <message>
        <source>Search contacts</source>
        <translation>Kontakte suchen</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Bearbeiten</translation>
    </message>
    <message>
        <source>No contact matches</source>
        <translation>Kein Kontakt passt</translation>
    </message>
    <message>
        <source>No contacts yet</source>
        <translation>Noch keine Kontakte</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importieren…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Besetzt</translation>
    </message>
    <message>
        <source>On the phone</source>
        <translation>Am Telefon</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Presence unknown</source>
        <translation>Status unbekannt</translation>
    </message>
    <message>
        <source>Ringing</source>
        <translation>Klingelt</translation>
    </message>
    <message>
        <source>In a call</source>
        <translation>Im Gespräch</translation>
    </message>
    <message>
        <source>Pick up</source>
        <translation>Heranholen</translation>
    </message>
</context>
<context>
    <name>DeviceTester</name>
    <message>
        <source>No microphone found</source>
        <translation>Kein Mikrofon gefunden</translation>
    </message>
    <message>
        <source>No speaker found</source>
        <translation>Kein Lautsprecher gefunden</translation>
    </message>
    <message>
        <source>Camera: %1</source>
        <translation>Kamera: %1</translation>
    </message>
    <message>
        <source>The camera is off</source>
        <translation>Die Kamera ist aus</translation>
    </message>
    <message>
        <source>No camera found: showing the test pattern</source>
        <translation>Keine Kamera gefunden: das Testbild wird gezeigt</translation>
    </message>
    <message>
        <source>Microphone: %1</source>
        <translation>Mikrofon: %1</translation>
    </message>
    <message>
        <source>Speaker: %1</source>
        <translation>Lautsprecher: %1</translation>
    </message>
</context>
<context>
    <name>DialBar</name>
    <message>
        <source>Number, sip:address or name@host</source>
        <translation>Nummer, sip:Adresse oder name@host</translation>
    </message>
    <message>
        <source>Number or address to call</source>
        <translation>Nummer oder Adresse, die angerufen wird</translation>
    </message>
    <message>
        <source>Call</source>
        <translation>Anrufen</translation>
    </message>
    <message>
        <source>Audio call (Enter)</source>
        <translation>Sprachanruf (Enter)</translation>
    </message>
    <message>
        <source>Video call</source>
        <translation>Videoanruf</translation>
    </message>
</context>
<context>
    <name>DtmfKeypad</name>
    <message>
        <source>Key %1</source>
        <translation>Taste %1</translation>
    </message>
</context>
<context>
    <name>FirstRunAssistant</name>
    <message>
        <source>Welcome to vphone</source>
        <translation>Willkommen bei vphone</translation>
    </message>
    <message>
        <source>Add your SIP account to call phone numbers and be reachable at your address. No account? Skip this: you can call any SIP address directly, e.g. sip:bob@192.0.2.7.</source>
        <translation>Fügen Sie Ihr SIP-Konto hinzu, um Telefonnummern anzurufen und unter Ihrer Adresse erreichbar zu sein. Kein Konto? Überspringen: Sie können jede SIP-Adresse direkt anrufen, z. B. sip:bob@192.0.2.7.</translation>
    </message>
    <message>
        <source>Skip — I&apos;ll make direct IP calls</source>
        <translation>Überspringen — ich rufe direkt per IP an</translation>
    </message>
    <message>
        <source>Add account</source>
        <translation>Konto hinzufügen</translation>
    </message>
</context>
<context>
    <name>HistoryPane</name>
    <message>
        <source>Call back</source>
        <translation>Zurückrufen</translation>
    </message>
    <message>
        <source>Answered</source>
        <translation>Angenommen</translation>
    </message>
    <message>
        <source>Missed</source>
        <translation>Verpasst</translation>
    </message>
    <message>
        <source>Declined</source>
        <translation>Abgelehnt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Besetzt</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>No calls yet</source>
        <translation>Noch keine Anrufe</translation>
    </message>
    <message>
        <source>Clear history</source>
        <translation>Verlauf löschen</translation>
    </message>
</context>
<context>
    <name>IncomingCallDialog</name>
    <message>
        <source>Incoming call</source>
        <translation>Eingehender Anruf</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Answer with audio (Ctrl+Return)</source>
        <translation>Mit Ton annehmen (Strg+Enter)</translation>
    </message>
    <message>
        <source>Accept with video</source>
        <translation>Mit Video annehmen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Answering puts %1 on hold</source>
        <translation>Annehmen hält %1</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>%1 — vphone</source>
        <translation>%1 — vphone</translation>
    </message>
    <message>
        <source>vphone</source>
        <translation>vphone</translation>
    </message>
    <message>
        <source>No call. Type a number or an address above and press Enter.</source>
        <translation>Kein Anruf. Oben eine Nummer oder Adresse eingeben und Enter drücken.</translation>
    </message>
    <message>
        <source>Available</source>
        <translation>Verfügbar</translation>
    </message>
    <message>
        <source>Away</source>
        <translation>Abwesend</translation>
    </message>
    <message>
        <source>Busy</source>
        <translation>Besetzt</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Others see: on the phone</source>
        <translation>Andere sehen: am Telefon</translation>
    </message>
    <message>
        <source>Your status, as your contacts see it</source>
        <translation>Ihr Status, wie Ihre Kontakte ihn sehen</translation>
    </message>
</context>
<context>
    <name>PhoneController</name>
    <message>
        <source>Contacts and history unavailable: %1</source>
        <translation>Kontakte und Verlauf nicht verfügbar: %1</translation>
    </message>
    <message>
        <source>Media settings: %1</source>
        <translation>Medieneinstellungen: %1</translation>
    </message>
    <message>
        <source>Settings apply when the call ends</source>
        <translation>Die Einstellungen gelten, wenn der Anruf endet</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>Not connected: %1</source>
        <translation>Nicht verbunden: %1</translation>
    </message>
    <message>
        <source>No account: direct IP calls on %1</source>
        <translation>Kein Konto: direkte IP-Anrufe auf %1</translation>
    </message>
    <message>
        <source>Registered as %1</source>
        <translation>Angemeldet als %1</translation>
    </message>
    <message>
        <source>Registering %1…</source>
        <translation>%1 wird angemeldet…</translation>
    </message>
    <message>
        <source>Signing out %1…</source>
        <translation>%1 wird abgemeldet…</translation>
    </message>
    <message>
        <source>%1 could not register: %2</source>
        <translation>%1 konnte sich nicht anmelden: %2</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>%1 is not registered</source>
        <translation>%1 ist nicht angemeldet</translation>
    </message>
    <message>
        <source>%1 is not registered: %2</source>
        <translation>%1 ist nicht angemeldet: %2</translation>
    </message>
    <message>
        <source>Recording needs a call with audio</source>
        <translation>Aufnehmen braucht einen Anruf mit Ton</translation>
    </message>
    <message>
        <source>Recording needs a profile directory</source>
        <translation>Aufnehmen braucht ein Profilverzeichnis</translation>
    </message>
    <message>
        <source>Could not create the folder %1</source>
        <translation>Der Ordner %1 konnte nicht angelegt werden</translation>
    </message>
    <message>
        <source>STUN: %1; calls use the local address</source>
        <translation>STUN: %1; Anrufe verwenden die lokale Adresse</translation>
    </message>
    <message>
        <source>the server&apos;s certificate changed since you trusted it</source>
        <translation>das Zertifikat des Servers hat sich geändert, seit Sie ihm vertraut haben</translation>
    </message>
    <message>
        <source>the server&apos;s certificate is not trusted (see Settings)</source>
        <translation>dem Zertifikat des Servers wird nicht vertraut (siehe Einstellungen)</translation>
    </message>
    <message>
        <source>Switching devices needs a call with audio</source>
        <translation>Geräte wechseln braucht einen Anruf mit Ton</translation>
    </message>
    <message>
        <source>Could not switch the microphone: %1</source>
        <translation>Das Mikrofon ließ sich nicht wechseln: %1</translation>
    </message>
    <message>
        <source>Could not switch the speaker: %1</source>
        <translation>Der Lautsprecher ließ sich nicht wechseln: %1</translation>
    </message>
</context>
<context>
    <name>PresenceWatch</name>
    <message numerus="yes">
        <source>%n new voice message(s)</source>
        <translation>
            <numerusform>%n neue Sprachnachricht</numerusform>
            <numerusform>%n neue Sprachnachrichten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>(%n old)</source>
        <translation>
            <numerusform>(%n alte)</numerusform>
            <numerusform>(%n alte)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SettingsController</name>
    <message>
        <source>The %1 &quot;%2&quot; is not a server name or address (e.g. sip.example.com:5060)</source>
        <translation>Der %1 „%2“ ist kein Servername und keine Adresse (z. B. sip.example.com:5060)</translation>
    </message>
    <message>
        <source>The password of %1 could not be read from the keychain: %2</source>
        <translation>Das Passwort von %1 ließ sich nicht aus dem Schlüsselbund lesen: %2</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>Gespeichert</translation>
    </message>
    <message>
        <source>Saved. The change applies when the current call ends.</source>
        <translation>Gespeichert. Die Änderung gilt, wenn der laufende Anruf endet.</translation>
    </message>
    <message>
        <source>Saved and applied</source>
        <translation>Gespeichert und übernommen</translation>
    </message>
    <message>
        <source>Saved, but the phone did not start: %1</source>
        <translation>Gespeichert, aber das Telefon ist nicht gestartet: %1</translation>
    </message>
    <message>
        <source>No system keychain was found, so passwords are stored in %1, readable only by you. Install and unlock a keychain (GNOME Keyring or KWallet) to keep them there instead.</source>
        <translation>Es wurde kein Schlüsselbund des Systems gefunden, daher werden Passwörter in %1 gespeichert, nur für Sie lesbar. Installieren und entsperren Sie einen Schlüsselbund (GNOME Keyring oder KWallet), um sie dort aufzubewahren.</translation>
    </message>
    <message>
        <source>There is no account %1</source>
        <translation>Es gibt kein Konto %1</translation>
    </message>
    <message>
        <source>Enter the account&apos;s address, e.g. alice@sip.example.com</source>
        <translation>Geben Sie die Adresse des Kontos ein, z. B. alice@sip.example.com</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an address: write it as user@domain, e.g. alice@sip.example.com</source>
        <translation>„%1“ ist keine Adresse: schreiben Sie sie als benutzer@domain, z. B. alice@sip.example.com</translation>
    </message>
    <message>
        <source>There is already an account for %1</source>
        <translation>Für %1 gibt es schon ein Konto</translation>
    </message>
    <message>
        <source>registrar</source>
        <translation>Registrar</translation>
    </message>
    <message>
        <source>proxy</source>
        <translation>Proxy</translation>
    </message>
    <message>
        <source>The transport must be UDP, TCP or TLS</source>
        <translation>Der Transport muss UDP, TCP oder TLS sein</translation>
    </message>
    <message>
        <source>Media encryption (SRTP) must be off, optional or mandatory</source>
        <translation>Die Medienverschlüsselung (SRTP) muss aus, optional oder verpflichtend sein</translation>
    </message>
    <message>
        <source>Could not write %1</source>
        <translation>%1 konnte nicht geschrieben werden</translation>
    </message>
    <message>
        <source>That codec cannot move further</source>
        <translation>Dieser Codec lässt sich nicht weiter verschieben</translation>
    </message>
    <message>
        <source>The SIP port must be a number from 1 to 65535</source>
        <translation>Der SIP-Port muss eine Zahl von 1 bis 65535 sein</translation>
    </message>
    <message>
        <source>Media ports &quot;%1&quot; are not a range: write FIRST-LAST, e.g. 16384-32767</source>
        <translation>Die Medien-Ports „%1“ sind kein Bereich: schreiben Sie ERSTER-LETZTER, z. B. 16384-32767</translation>
    </message>
    <message>
        <source>The SIP port %1 is inside the media port range %2</source>
        <translation>Der SIP-Port %1 liegt im Medien-Portbereich %2</translation>
    </message>
    <message>
        <source>There is no microphone &quot;%1&quot;</source>
        <translation>Es gibt kein Mikrofon „%1“</translation>
    </message>
    <message>
        <source>There is no speaker &quot;%1&quot;</source>
        <translation>Es gibt keinen Lautsprecher „%1“</translation>
    </message>
    <message>
        <source>There is no camera &quot;%1&quot;</source>
        <translation>Es gibt keine Kamera „%1“</translation>
    </message>
    <message>
        <source>Could not remove %1</source>
        <translation>%1 konnte nicht entfernt werden</translation>
    </message>
    <message>
        <source>vphone no longer starts at login</source>
        <translation>vphone startet nicht mehr beim Anmelden</translation>
    </message>
    <message>
        <source>Could not create the folder %1</source>
        <translation>Der Ordner %1 konnte nicht angelegt werden</translation>
    </message>
    <message>
        <source>vphone starts when you log in</source>
        <translation>vphone startet beim Anmelden</translation>
    </message>
    <message>
        <source>The STUN server needs a host name or address, e.g. stun.example.org or 192.0.2.1:3478</source>
        <translation>Der STUN-Server braucht einen Hostnamen oder eine Adresse, z. B. stun.example.org oder 192.0.2.1:3478</translation>
    </message>
    <message>
        <source>The STUN server port in &quot;%1&quot; must be a number from 1 to 65535</source>
        <translation>Der STUN-Server-Port in „%1“ muss eine Zahl von 1 bis 65535 sein</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not a STUN server: write host or host:port, e.g. stun.example.org:3478</source>
        <translation>„%1“ ist kein STUN-Server: schreiben Sie host oder host:port, z. B. stun.example.org:3478</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>System default</source>
        <translation>Systemstandard</translation>
    </message>
    <message>
        <source>None (send silence)</source>
        <translation>Keines (Stille senden)</translation>
    </message>
    <message>
        <source>None (mute)</source>
        <translation>Keiner (stumm)</translation>
    </message>
    <message>
        <source>No camera</source>
        <translation>Keine Kamera</translation>
    </message>
    <message>
        <source>Test pattern</source>
        <translation>Testbild</translation>
    </message>
    <message>
        <source>Keypad tones (RFC 4733)</source>
        <translation>Tastentöne (RFC 4733)</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Accounts</source>
        <translation>Konten</translation>
    </message>
    <message>
        <source>Audio &amp; video</source>
        <translation>Audio &amp; Video</translation>
    </message>
    <message>
        <source>Calls &amp; media</source>
        <translation>Anrufe &amp; Medien</translation>
    </message>
    <message>
        <source>General</source>
        <translation>Allgemein</translation>
    </message>
    <message>
        <source>No account: you can still call addresses directly, e.g. sip:bob@192.0.2.7.</source>
        <translation>Kein Konto: Sie können Adressen trotzdem direkt anrufen, z. B. sip:bob@192.0.2.7.</translation>
    </message>
    <message>
        <source>%1 &lt;%2&gt;</source>
        <translation>%1 &lt;%2&gt;</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>Hinzufügen…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>Bearbeiten…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Microphone</source>
        <translation>Mikrofon</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Lautsprecher</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Audio codecs</source>
        <translation>Audio-Codecs</translation>
    </message>
    <message>
        <source>Media encryption</source>
        <translation>Medienverschlüsselung</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>When the other side can (SRTP optional)</source>
        <translation>Wenn die Gegenseite kann (SRTP optional)</translation>
    </message>
    <message>
        <source>Always (SRTP mandatory)</source>
        <translation>Immer (SRTP verpflichtend)</translation>
    </message>
    <message>
        <source>SIP port</source>
        <translation>SIP-Port</translation>
    </message>
    <message>
        <source>Media ports</source>
        <translation>Medien-Ports</translation>
    </message>
    <message>
        <source>Apply ports</source>
        <translation>Ports übernehmen</translation>
    </message>
    <message>
        <source>Start vphone when I log in</source>
        <translation>vphone beim Anmelden starten</translation>
    </message>
    <message>
        <source>Closing the window keeps vphone running in the tray</source>
        <translation>Schließen des Fensters lässt vphone im Infobereich weiterlaufen</translation>
    </message>
    <message>
        <source>Audio &amp;&amp; video</source>
        <translation>Audio &amp;&amp; Video</translation>
    </message>
    <message>
        <source>Calls &amp;&amp; media</source>
        <translation>Anrufe &amp;&amp; Medien</translation>
    </message>
    <message>
        <source>Inspect certificate…</source>
        <translation>Zertifikat prüfen…</translation>
    </message>
    <message>
        <source>Forget certificate</source>
        <translation>Zertifikat vergessen</translation>
    </message>
    <message>
        <source>Microphone level</source>
        <translation>Mikrofonpegel</translation>
    </message>
    <message>
        <source>Speak: the bar follows the microphone</source>
        <translation>Sprechen Sie: der Balken folgt dem Mikrofon</translation>
    </message>
    <message>
        <source>Playing…</source>
        <translation>Spielt…</translation>
    </message>
    <message>
        <source>Play test tone</source>
        <translation>Testton abspielen</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Keine Vorschau</translation>
    </message>
    <message>
        <source>STUN server</source>
        <translation>STUN-Server</translation>
    </message>
    <message>
        <source>none (e.g. stun.example.org:3478)</source>
        <translation>keiner (z. B. stun.example.org:3478)</translation>
    </message>
    <message>
        <source>Asks this server for your public address behind a NAT; it goes in your SIP Contact and call media. Port 3478 unless given; empty turns it off.</source>
        <translation>Fragt diesen Server nach Ihrer öffentlichen Adresse hinter einem NAT; sie kommt in Ihren SIP-Contact und die Anrufmedien. Port 3478, wenn nicht angegeben; leer schaltet es aus.</translation>
    </message>
    <message>
        <source>Apply STUN server</source>
        <translation>STUN-Server übernehmen</translation>
    </message>
    <message>
        <source>Anyone may add or remove people in conferences I host</source>
        <translation>Jeder darf Personen zu meinen Konferenzen hinzufügen oder daraus entfernen</translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <source>Calls</source>
        <translation>Anrufe</translation>
    </message>
    <message>
        <source>Contacts</source>
        <translation>Kontakte</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>Verlauf (%1)</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>Chats (%1)</source>
        <translation>Chats (%1)</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <source>Transfer call</source>
        <translation>Anruf vermitteln</translation>
    </message>
    <message>
        <source>Transfer %1 to:</source>
        <translation>%1 vermitteln an:</translation>
    </message>
    <message>
        <source>The other call: %1</source>
        <translation>Den anderen Anruf: %1</translation>
    </message>
    <message>
        <source>An address</source>
        <translation>Eine Adresse</translation>
    </message>
    <message>
        <source>They are called by %1; your call ends once they answer.</source>
        <translation>%1 ruft sie an; Ihr Anruf endet, sobald sie annehmen.</translation>
    </message>
    <message>
        <source>Transfer</source>
        <translation>Vermitteln</translation>
    </message>
</context>
<context>
    <name>VCardDialog</name>
    <message>
        <source>Import vCard file</source>
        <translation>vCard-Datei importieren</translation>
    </message>
    <message>
        <source>Export contacts as vCard</source>
        <translation>Kontakte als vCard exportieren</translation>
    </message>
    <message>
        <source>File path, e.g. /home/me/contacts.vcf</source>
        <translation>Dateipfad, z. B. /home/ich/kontakte.vcf</translation>
    </message>
    <message>
        <source>vCard 3.0</source>
        <translation>vCard 3.0</translation>
    </message>
    <message>
        <source>vCard 4.0</source>
        <translation>vCard 4.0</translation>
    </message>
    <message>
        <source>Import</source>
        <translation>Importieren</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>A SIP video phone.</source>
        <translation>Ein SIP-Videotelefon.</translation>
    </message>
    <message>
        <source>Profile directory (settings, history).</source>
        <translation>Profilverzeichnis (Einstellungen, Verlauf).</translation>
    </message>
    <message>
        <source>SIP socket PROTO:HOST:PORT (repeatable).</source>
        <translation>SIP-Socket PROTO:HOST:PORT (wiederholbar).</translation>
    </message>
    <message>
        <source>UDP ports for media, MIN-MAX.</source>
        <translation>UDP-Ports für Medien, MIN-MAX.</translation>
    </message>
    <message>
        <source>Camera: device[:NAME], testsrc[:WxH[@FPS]] or off.</source>
        <translation>Kamera: device[:NAME], testsrc[:BxH[@FPS]] oder off.</translation>
    </message>
    <message>
        <source>Microphone: device[:NAME], tone:HZ, file:PATH or silence.</source>
        <translation>Mikrofon: device[:NAME], tone:HZ, file:PFAD oder silence.</translation>
    </message>
    <message>
        <source>Speaker: device[:NAME], file:PATH or null.</source>
        <translation>Lautsprecher: device[:NAME], file:PFAD oder null.</translation>
    </message>
    <message>
        <source>Make the call to URI a video call.</source>
        <translation>Den Anruf an URI als Videoanruf führen.</translation>
    </message>
    <message>
        <source>Write state changes as JSON lines.</source>
        <translation>Zustandsänderungen als JSON-Zeilen schreiben.</translation>
    </message>
    <message>
        <source>Call this (sip:, sips:, tel:, callto: or a number).</source>
        <translation>Dies anrufen (sip:, sips:, tel:, callto: oder eine Nummer).</translation>
    </message>
    <message>
        <source>Scene graph: auto (software without a GPU), software or opengl.</source>
        <translation>Szenengraph: auto (Software ohne GPU), software oder opengl.</translation>
    </message>
</context>
<context>
    <name>vphone::app::DesktopIntegration</name>
    <message>
        <source>Incoming call from %1</source>
        <translation>Eingehender Anruf von %1</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Answer with video</source>
        <translation>Mit Video annehmen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Message from %1</source>
        <translation>Nachricht von %1</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Öffnen</translation>
    </message>
    <message>
        <source>Show vphone</source>
        <translation>vphone anzeigen</translation>
    </message>
    <message>
        <source>Hang up</source>
        <translation>Auflegen</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>Stumm</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>Beenden</translation>
    </message>
    <message>
        <source>In a call with %1</source>
        <translation>Im Gespräch mit %1</translation>
    </message>
</context>
<context>
    <name>vphone::app::DesktopNotifier</name>
    <message>
        <source>Desktop notifications are off: no D-Bus session bus.</source>
        <translation>Desktop-Benachrichtigungen sind aus: kein D-Bus-Sitzungsbus.</translation>
    </message>
    <message>
        <source>Desktop notifications are off: no notification service on the session bus.</source>
        <translation>Desktop-Benachrichtigungen sind aus: kein Benachrichtigungsdienst auf dem Sitzungsbus.</translation>
    </message>
</context>
<context>
    <name>vphone::ui</name>
    <message>
        <source>Registered</source>
        <translation>Angemeldet</translation>
    </message>
    <message>
        <source>Registering…</source>
        <translation>Anmeldung…</translation>
    </message>
    <message>
        <source>Signing out…</source>
        <translation>Abmeldung…</translation>
    </message>
    <message>
        <source>Server unreachable (no answer)</source>
        <translation>Server nicht erreichbar (keine Antwort)</translation>
    </message>
    <message>
        <source>Not registered</source>
        <translation>Nicht angemeldet</translation>
    </message>
    <message>
        <source>Registration is off</source>
        <translation>Anmeldung ist aus</translation>
    </message>
    <message>
        <source>Wrong user name or password</source>
        <translation>Falscher Benutzername oder falsches Passwort</translation>
    </message>
    <message>
        <source>The server asks for a password: none is set</source>
        <translation>Der Server verlangt ein Passwort: keines ist eingetragen</translation>
    </message>
    <message>
        <source>Unknown account: the server does not know this address</source>
        <translation>Unbekanntes Konto: der Server kennt diese Adresse nicht</translation>
    </message>
    <message>
        <source>Certificate not trusted: the server&apos;s identity could not be verified</source>
        <translation>Zertifikat nicht vertrauenswürdig: die Identität des Servers ließ sich nicht prüfen</translation>
    </message>
    <message>
        <source>Server unreachable (no connection)</source>
        <translation>Server nicht erreichbar (keine Verbindung)</translation>
    </message>
    <message>
        <source>Server unreachable (it is out of service: %1)</source>
        <translation>Server nicht erreichbar (außer Betrieb: %1)</translation>
    </message>
    <message>
        <source>The server refused the registration interval</source>
        <translation>Der Server hat das Anmeldeintervall abgelehnt</translation>
    </message>
    <message>
        <source>Server error: %1 (%2)</source>
        <translation>Serverfehler: %1 (%2)</translation>
    </message>
    <message>
        <source>Registration refused: %1 (%2)</source>
        <translation>Anmeldung abgelehnt: %1 (%2)</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid SIP address</source>
        <translation>„%1“ ist keine gültige SIP-Adresse</translation>
    </message>
    <message>
        <source>Calling the number %1 needs an account: add one, or type a SIP address such as bob@example.com</source>
        <translation>Die Nummer %1 anzurufen braucht ein Konto: fügen Sie eines hinzu, oder geben Sie eine SIP-Adresse wie bob@example.com ein</translation>
    </message>
    <message>
        <source>Type a number or a SIP address</source>
        <translation>Eine Nummer oder SIP-Adresse eingeben</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a number or a SIP address</source>
        <translation>„%1“ ist keine Nummer und keine SIP-Adresse</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid IPv6 address</source>
        <translation>„%1“ ist keine gültige IPv6-Adresse</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has no host: type it as %1@host, or add an account</source>
        <translation>„%1“ hat keinen Host: geben Sie %1@host ein, oder fügen Sie ein Konto hinzu</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has nothing after &apos;%2:&apos;</source>
        <translation>„%1“ hat nichts nach „%2:“</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is not a valid telephone number</source>
        <translation>„%1“ ist keine gültige Telefonnummer</translation>
    </message>
    <message>
        <source>&apos;%1&apos; has nothing after &apos;callto:&apos;</source>
        <translation>„%1“ hat nichts nach „callto:“</translation>
    </message>
    <message>
        <source>&apos;%1:&apos; addresses cannot be called; use sip:, sips:, tel: or callto:</source>
        <translation>„%1:“-Adressen lassen sich nicht anrufen; verwenden Sie sip:, sips:, tel: oder callto:</translation>
    </message>
</context>
</TS>
