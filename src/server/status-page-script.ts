/**
 * The status page's script (inline; allowed by its SHA-256 hash in the page's Content-Security-Policy). It polls
 * `status` every 2 s and rebuilds the view with DOM calls. Everything from `/status` is untrusted (handler error
 * messages, pipeline names): it only ever reaches the page through `textContent`, `dataset` and computed numbers,
 * never through `innerHTML`, and class names come from fixed tables, never from data.
 *
 * Plain ES2020 without backticks or template placeholders, because it lives inside a TypeScript template string.
 */
export const STATUS_PAGE_SCRIPT = `
'use strict';
(function () {
  var POLL_MS = 2000;
  var app = document.getElementById('app');
  var conn = document.getElementById('conn');
  var ints = new Intl.NumberFormat('en-US');
  var STATE_TONE = { Enabled: 'ok', Creating: 'warn', Disabling: 'warn', Disabled: 'idle', Failed: 'bad' };
  var KIND_LABEL = {
    'batch-failed': 'batch failed', 'partial-failure': 'partial failure', 'on-failure': 'sent to on-failure',
    'dropped': 'dropped', 'error': 'error', 'state-changed': 'state'
  };
  var COUNTERS = [
    { key: 'polled', label: 'Polled' }, { key: 'invoked', label: 'Invoked' },
    { key: 'failed', label: 'Failed invokes', tone: 'bad' }, { key: 'onFailure', label: 'On-failure', tone: 'dlq' },
    { key: 'dropped', label: 'Dropped', tone: 'bad' }, { key: 'filteredOut', label: 'Filtered out' },
    { key: 'deleted', label: 'Deleted', only: 'sqs' }, { key: 'committed', label: 'Committed', only: 'kafka' }
  ];

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  function isNum(n) { return typeof n === 'number' && isFinite(n); }
  function str(v) { return typeof v === 'string' ? v : (v === null || v === undefined ? '' : String(v)); }
  function count(n) { return isNum(n) ? ints.format(n) : '\\u2013'; }
  function perSecond(n) {
    if (!isNum(n)) return '\\u2013';
    return (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) + '/s';
  }
  function duration(seconds) {
    if (!isNum(seconds)) return '\\u2013';
    if (seconds < 1) return Math.round(seconds * 1000) + ' ms';
    if (seconds < 120) return seconds.toFixed(1) + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    return (seconds / 3600).toFixed(1) + ' h';
  }
  function ageTone(seconds) {
    if (!isNum(seconds)) return 'muted';
    return seconds < 60 ? 'age-ok' : seconds < 600 ? 'age-warn' : 'age-bad';
  }
  function clock(iso) {
    var d = new Date(str(iso));
    if (isNaN(d.getTime())) return '';
    return d.toLocaleTimeString('en-GB', { hour12: false });
  }
  function cell(row, text, cls) { var td = el('td', cls, text); row.appendChild(td); return td; }

  function records(n) { return count(n) + (n === 1 ? ' record' : ' records'); }
  function note(event) {
    if (event.kind !== 'batch-failed') return '';
    var how = { threw: 'function threw', timeout: 'timed out', crashed: 'crashed', throttled: 'throttled', 'bad-response': 'invalid response' };
    var kind = Object.prototype.hasOwnProperty.call(how, event.errorKind) ? how[event.errorKind] : str(event.errorKind);
    return 'batch of ' + records(event.size) + ' \u00b7 ' + kind;
  }
  function describe(event) {
    switch (event.kind) {
      case 'batch-failed':
        return str(event.errorType) + ': ' + str(event.errorMessage);
      case 'partial-failure':
        return count(event.failed) + ' of ' + records(event.size) + ' reported in batchItemFailures';
      case 'on-failure':
        return records(event.count) + ' delivered to the on-failure destination';
      case 'dropped':
        return records(event.count) + ' dropped (no on-failure destination)';
      case 'error':
        return str(event.code) + ': ' + str(event.message);
      case 'state-changed':
        return str(event.state) + (event.reason ? ' \\u2014 ' + str(event.reason) : '');
      default:
        return '';
    }
  }

  function sparkline(points) {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('viewBox', '0 0 160 38');
    svg.setAttribute('preserveAspectRatio', 'none');
    if (points.length < 2) return svg;
    var max = Math.max.apply(null, points.concat([1]));
    var step = 160 / Math.max(points.length - 1, 29);
    var offset = 160 - step * (points.length - 1);
    var coords = points.map(function (v, i) {
      return (offset + i * step).toFixed(1) + ',' + (36 - (v / max) * 32).toFixed(1);
    });
    var area = document.createElementNS(ns, 'polygon');
    area.setAttribute('class', 'area');
    area.setAttribute('points', offset.toFixed(1) + ',38 ' + coords.join(' ') + ' 160,38');
    var line = document.createElementNS(ns, 'polyline');
    line.setAttribute('class', 'line');
    line.setAttribute('points', coords.join(' '));
    svg.appendChild(area);
    svg.appendChild(line);
    return svg;
  }

  function renderCounters(p) {
    var grid = el('div', 'counters');
    var totals = p.counters || {};
    var rates = (p.throughput && p.throughput.perSecond) || {};
    COUNTERS.forEach(function (c) {
      if (c.only && c.only !== p.sourceType) return;
      var value = totals[c.key];
      var box = el('div', 'counter' + (c.tone ? ' tone-' + c.tone : '') + (value ? '' : ' zero'));
      box.dataset.counter = c.key;
      box.appendChild(el('div', 'label', c.label));
      box.appendChild(el('div', 'value', count(value)));
      box.appendChild(el('div', 'rate', perSecond(rates[c.key])));
      grid.appendChild(box);
    });
    return grid;
  }

  function renderShards(p, section) {
    section.appendChild(el('h3', null, p.sourceType === 'kafka' ? 'Partitions' : 'Shards'));
    var shards = Array.isArray(p.shards) ? p.shards : [];
    if (shards.length === 0) { section.appendChild(el('p', 'muted', 'No shard reported yet.')); return; }
    var table = el('table');
    var head = el('tr');
    head.appendChild(el('th', null, p.sourceType === 'kafka' ? 'Partition' : 'Shard'));
    head.appendChild(el('th', 'num', 'Iterator age'));
    head.appendChild(el('th', 'num', 'Offset lag'));
    table.appendChild(head);
    shards.forEach(function (s) {
      var row = el('tr');
      row.dataset.shard = str(s.id);
      cell(row, str(s.id), 'mono');
      cell(row, duration(s.iteratorAgeSeconds), 'num ' + ageTone(s.iteratorAgeSeconds));
      cell(row, isNum(s.offsetLag) ? count(s.offsetLag) : '\\u2013', 'num');
      table.appendChild(row);
    });
    section.appendChild(table);
  }

  function renderEvents(p, section) {
    section.appendChild(el('h3', null, 'Recent events'));
    var events = Array.isArray(p.recentEvents) ? p.recentEvents : [];
    if (events.length === 0) { section.appendChild(el('p', 'muted', 'Nothing notable yet.')); return; }
    var box = el('div', 'events');
    box.dataset.scrollKey = str(p.name);
    var table = el('table');
    events.forEach(function (event) {
      var kind = Object.prototype.hasOwnProperty.call(KIND_LABEL, event.kind) ? event.kind : null;
      var row = el('tr', 'event' + (kind ? ' event-' + kind : ''));
      cell(row, clock(event.at), 'time');
      var badge = el('span', 'badge' + (kind ? ' kind-' + kind : ''), kind ? KIND_LABEL[kind] : str(event.kind));
      cell(row, '', 'kind').appendChild(badge);
      cell(row, str(event.shard), 'shard mono muted');
      var detail = cell(row, describe(event), 'detail');
      var extra = note(event);
      if (extra) detail.appendChild(el('div', 'note', extra));
      table.appendChild(row);
    });
    box.appendChild(table);
    section.appendChild(box);
  }

  function renderPipeline(p) {
    var card = el('article', 'pipeline');
    card.dataset.pipeline = str(p.name);
    var head = el('div', 'head');
    head.appendChild(el('h2', null, str(p.name)));
    var tone = STATE_TONE[p.state] || 'idle';
    head.appendChild(el('span', 'badge state state-' + tone, str(p.state)));
    var source = el('span', 'source', str(p.sourceType) + ' ');
    if (p.sourceArn) source.appendChild(el('code', null, str(p.sourceArn)));
    head.appendChild(source);
    head.appendChild(el('span', 'spacer'));
    var lanes = el('span', 'lanes', 'lanes ');
    lanes.appendChild(el('b', null, count(p.lanes)));
    head.appendChild(lanes);
    card.appendChild(head);
    card.appendChild(renderCounters(p));

    var body = el('div', 'body');
    var left = el('section');
    left.appendChild(el('h3', null, 'Throughput'));
    var tp = el('div', 'throughput');
    var numbers = el('div');
    var rates = (p.throughput && p.throughput.perSecond) || {};
    numbers.appendChild(el('div', 'big', perSecond(rates.polled)));
    var span = p.throughput && isNum(p.throughput.windowSeconds) ? p.throughput.windowSeconds : 0;
    numbers.appendChild(el('div', 'sub', 'polled, last ' + Math.round(span) + ' s \\u00b7 invoked ' + perSecond(rates.invoked)));
    tp.appendChild(numbers);
    var series = p.throughput && Array.isArray(p.throughput.polledSeries) ? p.throughput.polledSeries.filter(isNum) : [];
    tp.appendChild(sparkline(series));
    left.appendChild(tp);
    renderShards(p, left);
    var result = el('div', 'result', 'Last processing result: ');
    result.appendChild(el('b', null, str(p.lastProcessingResult)));
    left.appendChild(result);
    if (p.lastError) left.appendChild(el('div', 'last-error', str(p.lastError)));
    var right = el('section');
    renderEvents(p, right);
    body.appendChild(left);
    body.appendChild(right);
    card.appendChild(body);
    return card;
  }

  // Each function's asynchronous-invocation queue (Invoke with InvocationType Event): depth and oldest event.
  function renderAsyncQueues(queues) {
    var card = el('article', 'pipeline');
    card.dataset.asyncQueues = 'true';
    var head = el('div', 'head');
    head.appendChild(el('h2', null, 'Asynchronous invocation queues'));
    card.appendChild(head);
    var table = el('table');
    var row = el('tr');
    row.appendChild(el('th', null, 'Function'));
    row.appendChild(el('th', 'num', 'Waiting events'));
    row.appendChild(el('th', 'num', 'Oldest event'));
    table.appendChild(row);
    queues.forEach(function (q) {
      var line = el('tr');
      line.dataset.function = str(q.functionName);
      cell(line, str(q.functionName), 'mono');
      cell(line, count(q.messages), 'num');
      cell(line, isNum(q.oldestEventAgeSeconds) ? duration(q.oldestEventAgeSeconds) : '\\u2013', 'num ' + (isNum(q.oldestEventAgeSeconds) ? ageTone(q.oldestEventAgeSeconds) : ''));
      table.appendChild(line);
    });
    card.appendChild(table);
    return card;
  }

  function render(report) {
    var scroll = {};
    app.querySelectorAll('.events').forEach(function (box) { scroll[box.dataset.scrollKey] = box.scrollTop; });
    var pipelines = Array.isArray(report.pipelines) ? report.pipelines : [];
    var view = document.createDocumentFragment();
    var enabled = pipelines.filter(function (p) { return p.state === 'Enabled'; }).length;
    view.appendChild(el('p', 'summary', pipelines.length + ' pipeline' + (pipelines.length === 1 ? '' : 's') + ', ' + enabled + ' enabled \\u00b7 ' + (report.ready ? 'ready' : 'not ready')));
    if (pipelines.length === 0) view.appendChild(el('p', 'empty', 'No pipelines configured.'));
    if (Array.isArray(report.asyncQueues) && report.asyncQueues.length > 0) view.appendChild(renderAsyncQueues(report.asyncQueues));
    pipelines.forEach(function (p) { view.appendChild(renderPipeline(p)); });
    app.replaceChildren(view);
    app.querySelectorAll('.events').forEach(function (box) {
      if (Object.prototype.hasOwnProperty.call(scroll, box.dataset.scrollKey)) box.scrollTop = scroll[box.dataset.scrollKey];
    });
  }

  function poll() {
    fetch('status', { cache: 'no-store', headers: { accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error('HTTP ' + response.status);
        return response.json();
      })
      .then(function (report) {
        render(report);
        conn.className = 'conn live';
        conn.textContent = 'live \\u00b7 updated ' + clock(report.generatedAt);
      })
      .catch(function (error) {
        conn.className = 'conn down';
        conn.textContent = 'cannot reach /status (' + str(error && error.message) + ')';
      })
      .finally(function () { setTimeout(poll, POLL_MS); });
  }
  poll();
})();
`;
