package io.scanfarm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A systemd unit file read as systemd reads list settings: "Section.Key" to its assignments in order, where an
 * empty assignment empties the list (so {@code CapabilityBoundingSet=} alone means no capabilities).
 */
final class UnitFile {

    private final Map<String, List<String>> settings = new LinkedHashMap<>();

    static UnitFile read(Path file) throws IOException {
        UnitFile u = new UnitFile();
        String section = "";
        String pending = "";
        for (String raw : Files.readAllLines(file)) {
            String line = pending + raw.strip();
            if (line.endsWith("\\")) {
                pending = line.substring(0, line.length() - 1) + " ";
                continue;
            }
            pending = "";
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IOException(file + ": not a Key=value line: " + line);
            }
            String key = section + "." + line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            List<String> values = u.settings.computeIfAbsent(key, k -> new ArrayList<>());
            if (value.isEmpty()) {
                values.clear();
            } else {
                values.add(value);
            }
        }
        return u;
    }

    boolean has(String key) {
        return settings.containsKey(key);
    }

    /** The last assignment, or null when the key is absent or was emptied. */
    String last(String key) {
        List<String> v = settings.get(key);
        return v == null || v.isEmpty() ? null : v.get(v.size() - 1);
    }

    /** Every word of every assignment (capability and address family lists). */
    List<String> words(String key) {
        List<String> out = new ArrayList<>();
        for (String v : settings.getOrDefault(key, List.of())) {
            for (String w : v.split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
        }
        return out;
    }
}
