package io.scanfarm.cli;

import io.scanfarm.matcher.tests.ComputedFingerprint;
import io.scanfarm.proto.HostStatus;
import io.scanfarm.proto.OsClassInfo;
import io.scanfarm.proto.OsVerdict;
import io.scanfarm.proto.Outcome;
import io.scanfarm.proto.RankedMatch;
import java.io.Writer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * Scan results in Nmap's XML ({@code <nmaprun><host><os><osmatch><osclass>}), valid against Nmap's nmap.dtd, for
 * tools that read Nmap XML. The DTD admits only scanner="nmap"; the version attribute says who wrote it. The OS
 * matches listed are the ones Nmap writes: the perfect ones, or the guesses it prints, or none.
 */
final class NmapXml {

    private final XMLStreamWriter x;
    /** When the run began (this document was opened), in epoch milliseconds. */
    private final long startMillis;
    private int up;
    private int down;

    NmapXml(Writer out, String args, String version) {
        try {
            x = XMLOutputFactory.newFactory().createXMLStreamWriter(out);
            startMillis = System.currentTimeMillis();
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeDTD("<!DOCTYPE nmaprun>");
            x.writeCharacters("\n");
            x.writeStartElement("nmaprun");
            x.writeAttribute("scanner", "nmap");
            x.writeAttribute("args", args);
            x.writeAttribute("start", Long.toString(startMillis / 1000));
            x.writeAttribute("version", version);
            x.writeAttribute("xmloutputversion", "1.05");
            x.writeCharacters("\n");
            empty("verbose", "level", "0");
            empty("debugging", "level", "0");
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    void host(OsVerdict v) {
        try {
            boolean isUp = v.getHostStatus() == HostStatus.UP;
            if (isUp) {
                up++;
            } else {
                down++;
            }
            x.writeStartElement("host");
            String state = isUp ? "up" : v.getHostStatus() == HostStatus.DOWN ? "down" : "skipped";
            String reason = isUp ? "syn-ack" : v.getHostStatus() == HostStatus.DOWN ? "no-response" : "user-set";
            empty("status", "state", state, "reason", reason, "reason_ttl", "0");
            empty("address", "addr", v.getTarget(), "addrtype", "ipv4");
            if (v.getTarget().isEmpty() && !v.getDetail().isEmpty()) {
                // A subject matched offline has no address (the DTD wants the element): its name says which it was.
                x.writeStartElement("hostnames");
                empty("hostname", "name", v.getDetail(), "type", "user");
                x.writeEndElement();
            }
            if (isUp) {
                os(v);
            }
            x.writeEndElement();
            x.writeCharacters("\n");
            x.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private void os(OsVerdict v) throws XMLStreamException {
        x.writeStartElement("os");
        List<RankedMatch> listed = listed(v);
        for (RankedMatch m : listed) {
            x.writeStartElement("osmatch");
            x.writeAttribute("name", m.getName());
            x.writeAttribute("accuracy", Integer.toString(m.getAccuracy()));
            x.writeAttribute("line", Integer.toString(m.getLine()));
            for (OsClassInfo c : m.getClassesList()) {
                x.writeStartElement("osclass");
                x.writeAttribute("type", c.getDeviceType());
                x.writeAttribute("vendor", c.getVendor());
                x.writeAttribute("osfamily", c.getFamily());
                if (!c.getGeneration().isEmpty()) {
                    x.writeAttribute("osgen", c.getGeneration());
                }
                x.writeAttribute("accuracy", Integer.toString(m.getAccuracy()));
                for (String cpe : c.getCpeList()) {
                    x.writeStartElement("cpe");
                    x.writeCharacters(cpe);
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeEndElement();
        }
        if (v.getOutcome() != Outcome.PERFECT && !v.getFingerprint().isEmpty()) {
            // First-generation fingerprints were written one test a line, as Nmap 3.x/4.x printed them; the second
            // generation's in the wrapped OS: form.
            boolean firstGeneration = v.getFingerprint().startsWith("SInfo(") || v.getFingerprint().startsWith("TSeq(");
            empty("osfingerprint", "fingerprint", firstGeneration ? v.getFingerprint() + "\n"
                    : ComputedFingerprint.wrap(Arrays.asList(v.getFingerprint().split("\n"))));
        }
        x.writeEndElement();
    }

    /** What Nmap writes as osmatch: 1-8 perfect matches, or the guesses it prints (at most 10, within 0.10). */
    static List<RankedMatch> listed(OsVerdict v) {
        List<RankedMatch> m = v.getMatchesList();
        if (v.getOutcome() == Outcome.PERFECT) {
            return m.stream().filter(r -> r.getScore() == 1.0).toList();
        }
        if (v.getOutcome() == Outcome.GUESS && !m.isEmpty()) {
            double best = m.get(0).getScore();
            int n = 1;
            while (n < 10 && n < m.size() && m.get(n).getScore() > best - 0.10) {
                n++;
            }
            return m.subList(0, n);
        }
        return List.of();
    }

    void finish(boolean complete) {
        try {
            long now = System.currentTimeMillis();
            x.writeStartElement("runstats");
            // As Nmap writes it: seconds with two decimals.
            empty("finished", "time", Long.toString(now / 1000), "elapsed", String.format(Locale.ROOT, "%.2f", (now - startMillis) / 1000.0),
                    "summary", (up + down) + " IP addresses (" + up + " hosts up) scanned", "exit", complete ? "success" : "error");
            empty("hosts", "up", Integer.toString(up), "down", Integer.toString(down), "total", Integer.toString(up + down));
            x.writeEndElement();
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.flush();
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    private void empty(String name, String... attrs) throws XMLStreamException {
        x.writeEmptyElement(name);
        for (int i = 0; i < attrs.length; i += 2) {
            x.writeAttribute(attrs[i], attrs[i + 1]);
        }
        x.writeCharacters("\n");
    }
}
