package io.scanfarm.matcher.gen1;

import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.osdb.OsClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The distinct OS classes of a ranking, each with the score of the first match that brought it, collected as
 * FingerPrintResults::populateClassification did (Nmap 3.5x to 4.x): at most 36, only the perfect matches'
 * classes once there is a perfect match, none when matching overflowed.
 */
record Gen1Classification(Outcome outcome, List<OsClass> classes, List<Double> scores) {

    static Gen1Classification of(Gen1Result result) {
        List<OsClass> classes = new ArrayList<>();
        List<Double> scores = new ArrayList<>();
        if (result.outcome() == Outcome.TOOMANYMATCHES) {
            return new Gen1Classification(Outcome.TOOMANYMATCHES, classes, scores);
        }
        int perfect = 0;
        for (Gen1Match m : result.matches()) {
            for (OsClass c : m.fingerprint().classes()) {
                if (c.sameClassIn(classes)) {
                    continue;
                }
                if (classes.size() == Gen1Matcher.MAX_RESULTS) {
                    return new Gen1Classification(m.perfect() ? Outcome.TOOMANYMATCHES : Outcome.SUCCESS, classes, scores);
                }
                if (perfect > 0 && !m.perfect()) {
                    return new Gen1Classification(Outcome.SUCCESS, classes, scores);
                }
                classes.add(c);
                scores.add(m.score());
                if (m.perfect()) {
                    perfect++;
                }
            }
        }
        return new Gen1Classification(classes.isEmpty() ? Outcome.NOMATCHES : Outcome.SUCCESS, classes, scores);
    }
}
