package io.scanfarm.matcher.oracle;

import java.util.ArrayList;
import java.util.List;

/** One block of an nmap-oracle file: the subject text and Nmap 7.93's recorded answers for it. */
record OracleCase(String id, int line, String subjectText, String result, int numMatches, int numPerfect,
                  List<String> expect, List<String> exact, List<String> verdict, List<String> nmap, List<String> ranking) {

    static List<OracleCase> parse(String text) {
        List<OracleCase> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int start = 0;
        for (int i = 0; i <= lines.length; i++) {
            if (i == lines.length || lines[i].isBlank()) {
                if (i > start) {
                    OracleCase c = block(lines, start, i);
                    if (c != null) {
                        out.add(c);
                    }
                }
                start = i + 1;
            }
        }
        return out;
    }

    private static OracleCase block(String[] lines, int from, int to) {
        String id = null;
        StringBuilder subject = new StringBuilder();
        String result = null;
        int numMatches = -1;
        int numPerfect = -1;
        List<String> expect = new ArrayList<>();
        List<String> exact = new ArrayList<>();
        List<String> verdict = new ArrayList<>();
        List<String> nmap = new ArrayList<>();
        List<String> ranking = new ArrayList<>();
        for (int i = from; i < to; i++) {
            String l = lines[i];
            if (l.startsWith("# id: ")) {
                id = l.substring(6);
            } else if (l.startsWith("# result: ")) {
                String[] parts = l.substring(10).split(" ");
                result = parts[0];
                numMatches = Integer.parseInt(parts[1].substring("num_matches=".length()));
                numPerfect = Integer.parseInt(parts[2].substring("num_perfect_matches=".length()));
            } else if (l.startsWith("# expect: ")) {
                expect.add(l.substring(10));
            } else if (l.startsWith("# exact: ")) {
                exact.add(l.substring(9));
            } else if (l.startsWith("# verdict: ")) {
                verdict.add(l.substring(11));
            } else if (l.startsWith("# nmap: ")) {
                nmap.add(l.substring(8));
            } else if (l.startsWith("# ranking: ")) {
                ranking.add(l.substring(11));
            } else if (!l.startsWith("#")) {
                subject.append(l).append('\n');
            }
        }
        if (id == null) {
            return null;
        }
        return new OracleCase(id, from + 1, subject.toString(), result, numMatches, numPerfect,
                expect, exact, verdict, nmap, ranking);
    }
}
