package io.scanfarm.matcher.report;

import io.scanfarm.matcher.match.MatchResult;
import io.scanfarm.matcher.match.Outcome;
import io.scanfarm.matcher.match.RankedMatch;
import io.scanfarm.matcher.osdb.OsClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The distinct OS classes of a ranking, each with the accuracy of the first match that brought it, as Nmap's
 * FingerPrintResults::populateClassification collects them (at most 36; only perfect matches' classes when
 * there is a perfect match).
 */
record Classification(Outcome outcome, List<OsClass> classes, List<Double> accuracy, int perfect) {

    private static final int MAX_CLASSES = 36;

    static Classification of(MatchResult result) {
        List<OsClass> classes = new ArrayList<>();
        List<Double> accuracy = new ArrayList<>();
        int perfect = 0;
        if (result.outcome() == Outcome.TOOMANYMATCHES) {
            return new Classification(Outcome.TOOMANYMATCHES, classes, accuracy, 0);
        }
        List<RankedMatch> matches = result.matches();
        for (int printNo = 0; printNo < matches.size(); printNo++) {
            for (OsClass c : matches.get(printNo).fingerprint().classes()) {
                if (c.sameClassIn(classes)) {
                    continue;
                }
                if (classes.size() == MAX_CLASSES) {
                    Outcome o = printNo < result.perfectMatches() ? Outcome.TOOMANYMATCHES : Outcome.SUCCESS;
                    return new Classification(o, classes, accuracy, perfect);
                }
                if (perfect > 0 && printNo >= result.perfectMatches()) {
                    return new Classification(Outcome.SUCCESS, classes, accuracy, perfect);
                }
                classes.add(c);
                accuracy.add(matches.get(printNo).score());
                if (printNo < result.perfectMatches()) {
                    perfect++;
                }
            }
        }
        return new Classification(classes.isEmpty() ? Outcome.NOMATCHES : Outcome.SUCCESS, classes, accuracy, perfect);
    }
}
