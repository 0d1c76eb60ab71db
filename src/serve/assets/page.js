// podium's one script: on a games' medal table page, a changed date re-reads
// the table from /api/table/{games} (the JSON of `podium table --format json`)
// and redraws its rows without a reload; the URL follows (history.replaceState).
// Without this script the form is a plain GET form and the server draws the table.
(function () {
  'use strict';
  var form = document.getElementById('bounds');
  var table = document.getElementById('medal-table');
  if (!form || !table || !window.fetch || !window.URLSearchParams) return;
  var games = form.getAttribute('data-games');
  var status = document.getElementById('table-status');
  var asked = 0;

  function bounds() {
    var p = new URLSearchParams();
    ['as_of', 'known_at'].forEach(function (name) {
      var v = form.elements[name].value.trim();
      if (v) p.set(name, v);
    });
    return p;
  }

  // The same words as the server's caption (html::bounds_text).
  function boundsText(p) {
    var asOf = p.get('as_of'), known = p.get('known_at');
    var a = asOf ? 'as of ' + asOf : 'final';
    var k = !known ? 'as known now'
      : /^\d{4}-\d{2}-\d{2}$/.test(known) ? 'as known at the end of ' + known + ' (UTC)'
      : 'as known at ' + known;
    return a + ', ' + k;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // One row, as html::medal_table draws it.
  function row(r, known) {
    var tr = el('tr');
    tr.setAttribute('data-noc', r.noc);
    var rank = el('td', null, 'rank');
    var name = el('td', r.name, 'name');
    if (r.rank === null) {
      tr.className = 'unranked';
      var abbr = el('abbr', '–');
      abbr.title = 'not ranked';
      rank.appendChild(abbr);
      name.appendChild(document.createTextNode(' '));
      name.appendChild(el('span', 'not ranked', 'tag'));
    } else {
      rank.textContent = String(r.rank);
    }
    var code = el('th');
    code.scope = 'row';
    var a = el('a', r.noc);
    a.href = '/games/' + encodeURIComponent(games) + '/' + encodeURIComponent(r.noc) +
      (known ? '?known_at=' + encodeURIComponent(known) : '');
    code.appendChild(a);
    tr.appendChild(rank);
    tr.appendChild(code);
    tr.appendChild(name);
    tr.appendChild(el('td', r.gold));
    tr.appendChild(el('td', r.silver));
    tr.appendChild(el('td', r.bronze));
    tr.appendChild(el('td', r.total, 'total'));
    return tr;
  }

  function render(rows, p) {
    var body = document.createElement('tbody');
    rows.forEach(function (r) { body.appendChild(row(r, p.get('known_at'))); });
    if (!rows.length) {
      var tr = el('tr', null, 'empty');
      var td = el('td', 'No medal counts yet.');
      td.colSpan = 7;
      tr.appendChild(td);
      body.appendChild(tr);
    }
    table.replaceChild(body, table.tBodies[0]);
    var words = table.querySelector('.bounds-text');
    if (words) words.textContent = boundsText(p);
    // Links that keep the known-at bound (the games' tabs).
    document.querySelectorAll('a[data-keep="known_at"]').forEach(function (a) {
      var url = new URL(a.href);
      url.search = p.get('known_at') ? '?known_at=' + encodeURIComponent(p.get('known_at')) : '';
      a.href = url.toString();
    });
    var json = document.getElementById('table-json');
    var query = p.toString() ? '?' + p.toString() : '';
    if (json) json.href = '/api/table/' + encodeURIComponent(games) + query;
    history.replaceState(null, '', form.getAttribute('action') + query);
    table.setAttribute('data-shown', p.toString());
  }

  function update() {
    var p = bounds();
    var mine = ++asked;
    status.className = 'status';
    status.textContent = 'Loading…';
    var query = p.toString() ? '?' + p.toString() : '';
    fetch('/api/table/' + encodeURIComponent(games) + query, { headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (answer) {
        if (mine !== asked) return; // a later change is on its way
        if (!answer.ok) {
          status.className = 'status error';
          status.textContent = answer.body.error || 'The table could not be read.';
          return;
        }
        render(answer.body, p);
        status.textContent = '';
      })
      .catch(function (e) {
        if (mine !== asked) return;
        status.className = 'status error';
        status.textContent = 'The table could not be read: ' + e.message;
      });
  }

  form.addEventListener('change', update);
  form.addEventListener('submit', function (e) { e.preventDefault(); update(); });
})();
