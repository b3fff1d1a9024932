package io.scanfarm.matcher.osdb;

import java.util.function.Consumer;

/** The lines of a database file as both generations' parsers read them: split at LF, a CR before it dropped. */
public final class TextLines {

    private TextLines() {
    }

    /** Hands each line to {@code line} in order (no line after a final LF). */
    public static void each(String text, Consumer<String> line) {
        int pos = 0;
        int n = text.length();
        while (pos < n) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = n;
            }
            int end = eol > pos && text.charAt(eol - 1) == '\r' ? eol - 1 : eol;
            line.accept(text.substring(pos, end));
            pos = eol + 1;
        }
    }
}
