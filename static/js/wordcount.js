// Counting words in the browser exactly as the server does (techcommit/text.py, count_words).
// Both are checked against one table of cases: tests/wordcount_cases.json.
(function () {
  "use strict";
  var SEPARATORS = new RegExp(
    "[\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200b\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]+"
  );
  var COMMENT = /<!--[\s\S]*?-->/g;
  var TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)\b[^>]*>/g;
  var BLOCKS = {};
  ("p br li ul ol div h1 h2 h3 h4 h5 h6 blockquote pre tr td th table dt dd hr section " +
    "article header footer").split(" ").forEach(function (name) { BLOCKS[name] = true; });
  var LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
  var decoder = document.createElement("textarea");

  function decode(text) {
    if (text.indexOf("&") === -1) {
      return text;
    }
    // A textarea's content is parsed as text with character references, never as markup.
    decoder.innerHTML = text.replace(/</g, "&lt;");
    return decoder.value;
  }

  function countWords(value) {
    if (!value) {
      return 0;
    }
    var text = value.replace(COMMENT, " ").replace(TAG, function (match, name) {
      return BLOCKS[name.toLowerCase()] ? " " : "";
    });
    return decode(text).split(SEPARATORS).filter(function (piece) {
      return piece && LETTER_OR_DIGIT.test(piece);
    }).length;
  }

  window.TC = window.TC || {};
  window.TC.countWords = countWords;
})();
