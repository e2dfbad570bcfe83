// The site's search scorer (Sphinx's html_search_scorer, set by
// _ext/course_site.py). Sphinx's defaults, except for one rule: a glossary
// definition is an index entry, and Sphinx scores an index entry that equals
// the query at 100, far above a chapter whose title is the query (16), so
// "momentum" found the Glossary first. A definition now ranks just below a
// page or section titled by the query and still above plain mentions.
var Scorer = {
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
  score: function (result) {
    var anchor = result[2], score = result[4];
    if (anchor && anchor.indexOf("#term-") === 0) return Math.min(score, Scorer.title - 1);
    return score;
  }
};
