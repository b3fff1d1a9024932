package io.scanfarm.matcher.subject;

import java.util.ArrayList;
import java.util.List;

/**
 * Subject text as both generations' parsers read it: blocks of lines separated by blank lines, {@code #} comment
 * lines dropped, CR before LF tolerated, every line keeping its 1-based number for error messages.
 */
public final class TextBlocks {

    /** A line of a block, as written, with its number in the text. */
    public record Line(int no, String text) {
    }

    private TextBlocks() {
    }

    public static List<List<Line>> of(String text) {
        List<List<Line>> blocks = new ArrayList<>();
        List<Line> block = new ArrayList<>();
        int lineNo = 0;
        int pos = 0;
        int n = text.length();
        while (pos <= n) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = n;
            }
            String line = text.substring(pos, eol);
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            lineNo++;
            if (line.isBlank()) {
                if (!block.isEmpty()) {
                    blocks.add(block);
                    block = new ArrayList<>();
                }
            } else if (!line.stripLeading().startsWith("#")) {
                block.add(new Line(lineNo, line));
            }
            pos = eol + 1;
        }
        if (!block.isEmpty()) {
            blocks.add(block);
        }
        return blocks;
    }
}
