package io.scanfarm.matcher.tests;

import io.scanfarm.matcher.fp.FpTest;
import io.scanfarm.matcher.subject.SubjectFingerprint;
import java.util.ArrayList;
import java.util.List;

/** A fingerprint computed from raw packets, in Nmap's printed form, with the side results. */
public record ComputedFingerprint(SubjectFingerprint subject, SideResults side) {

    /** One test per line, SCAN first, as Nmap prints the unwrapped form. */
    public List<String> lines() {
        List<String> out = new ArrayList<>();
        if (subject.scan() != null) {
            out.add(subject.scan().line().toString());
        }
        for (FpTest t : subject.tests()) {
            out.add(t.toString());
        }
        return out;
    }

    /** Nmap's submission form: everything joined, cut into 72-character chunks each prefixed with "OS:". */
    public String wrapped() {
        return wrap(lines());
    }

    /** Nmap's submission form of fingerprint lines (SCAN first): joined, cut into 72-character "OS:" lines. */
    public static String wrap(List<String> lines) {
        String all = String.join("", lines);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < all.length(); i += 72) {
            sb.append("OS:").append(all, i, Math.min(all.length(), i + 72)).append('\n');
        }
        return sb.toString();
    }
}
