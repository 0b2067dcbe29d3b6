// The review page: lays out the document with its edits marked (from the
// JSON in #errata-data), keeps the decisions, shows the repaired text live
// and hands out the repaired text and the decisions as an edit list that
// `errata apply` reads.  Text from the document only ever reaches the page
// as text nodes (textContent), never as markup.
'use strict';
(function () {
  const KINDS = ['swap', 'lookalike', 'layout', 'punctuation', 'quote', 'number', 'latin', 'flag'];
  const ACTIONS = ['apply', 'propose', 'flag'];
  const ACTION_WORDS = { apply: 'applied', propose: 'proposed', flag: 'flagged' };
  const ACCEPTED = 1, REJECTED = -1, OPEN = 0;
  const STATE_CLASS = { 1: 's-acc', '-1': 's-rej', 0: 's-open' };
  // A block of the document is laid out (and re-laid out after a decision)
  // as a whole; blocks end at a line break after about this many characters.
  const BLOCK_CHARS = 3000;

  const byId = (id) => document.getElementById(id);
  const data = JSON.parse(byId('errata-data').textContent);
  const gaps = data.gaps;
  const strings = data.strings;
  const edits = data.edits.map((a, index) => ({
    index, line: a[0], column: a[1], byteStart: a[2], byteEnd: a[3], cpStart: a[4], cpEnd: a[5],
    old: a[6], new: a[7], rule: strings[a[8]], kind: strings[a[9]], action: strings[a[10]],
    confidence: a[11], reason: strings[a[12]],
    state: strings[a[10]] === 'apply' ? ACCEPTED : OPEN, mark: null, block: 0,
  }));
  const history = []; // each entry: [[edit, its state before], ...]
  const hiddenKinds = new Set(), hiddenActions = new Set();
  let current = -1;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Line breaks and empty strings made visible in short displays.
  function shown(text) {
    return text === '' ? '\u2205' : text.replace(/\n/g, '\u21b5').replace(/\t/g, '\u21e5');
  }

  // ------------------------------------------------------------ layout

  function makeBlocks() {
    const blocks = [];
    let pieces = [], size = 0;
    const finish = () => { blocks.push({ pieces, orig: null, fixed: null }); pieces = []; size = 0; };
    for (let i = 0; i <= edits.length; i++) {
      let gap = gaps[i];
      while (size + gap.length > BLOCK_CHARS) {
        const cut = gap.indexOf('\n', Math.max(0, BLOCK_CHARS - size - 1));
        if (cut < 0) break;
        pieces.push(gap.slice(0, cut + 1));
        finish();
        gap = gap.slice(cut + 1);
      }
      if (gap) { pieces.push(gap); size += gap.length; }
      if (i < edits.length) {
        edits[i].block = blocks.length;
        pieces.push(edits[i]);
        size += edits[i].old.length;
      }
    }
    finish();
    return blocks;
  }

  function markClass(e) {
    return 'e k-' + e.kind + ' a-' + e.action + ' ' + STATE_CLASS[e.state] +
      (e.old ? '' : ' empty') + (e.index === current ? ' cur' : '');
  }

  function makeMark(e) {
    const mark = element('mark', markClass(e), e.old.replace(/\n/g, '\u21b5\n'));
    mark.dataset.i = e.index;
    e.mark = mark;
    return mark;
  }

  function renderOriginal(block) {
    const fragment = document.createDocumentFragment();
    for (const piece of block.pieces)
      fragment.appendChild(typeof piece === 'string' ? document.createTextNode(piece) : makeMark(piece));
    block.orig.appendChild(fragment);
  }

  // The repaired text of a block: accepted edits highlighted, the rest text.
  function renderFixed(block) {
    const fragment = document.createDocumentFragment();
    let text = '';
    for (const piece of block.pieces) {
      if (typeof piece === 'string') { text += piece; continue; }
      if (piece.state !== ACCEPTED) { text += piece.old; continue; }
      if (text) fragment.appendChild(document.createTextNode(text));
      text = '';
      const ins = element('ins', 'k-' + piece.kind, piece.new);
      ins.dataset.i = piece.index;
      fragment.appendChild(ins);
    }
    if (text) fragment.appendChild(document.createTextNode(text));
    block.fixed.replaceChildren(fragment);
  }

  function renderDocument(blocks) {
    const fragment = document.createDocumentFragment();
    for (const block of blocks) {
      const row = element('div', 'blk');
      block.orig = row.appendChild(element('div', 'o'));
      block.fixed = row.appendChild(element('div', 'f'));
      renderOriginal(block);
      renderFixed(block);
      fragment.appendChild(row);
    }
    byId('blocks').appendChild(fragment);
  }

  // ------------------------------------------------------------ side panel

  const summaryCells = {}, ruleRows = new Map();

  function count(list) {
    const c = { total: list.length, acc: 0, rej: 0, open: 0 };
    for (const e of list) {
      if (e.action === 'flag') continue;
      if (e.state === ACCEPTED) c.acc++;
      else if (e.state === REJECTED) c.rej++;
      else c.open++;
    }
    return c;
  }

  function buildSummary() {
    const body = document.querySelector('#summary tbody');
    for (const action of [...ACTIONS, 'all']) {
      const row = element('tr');
      row.appendChild(element('th', '', action === 'all' ? 'all' : ACTION_WORDS[action]));
      summaryCells[action] = ['total', 'acc', 'rej', 'open'].map((key) => {
        const cell = row.appendChild(element('td'));
        cell.dataset.count = action + '-' + key;
        return [key, cell];
      });
      body.appendChild(row);
    }
  }

  function buildRules() {
    const byRule = new Map();
    for (const e of edits) {
      if (!byRule.has(e.rule)) byRule.set(e.rule, []);
      byRule.get(e.rule).push(e);
    }
    const rules = [...byRule.keys()].sort((a, b) => byRule.get(b).length - byRule.get(a).length ||
                                                     (a < b ? -1 : a > b ? 1 : 0));
    const body = document.querySelector('#rules tbody');
    for (const rule of rules) {
      const list = byRule.get(rule), row = element('tr');
      row.appendChild(element('td', 'k-' + list[0].kind, rule));
      row.appendChild(element('td', 'n', String(list.length)));
      const accepted = row.appendChild(element('td', 'n'));
      const buttons = row.appendChild(element('td'));
      if (list.some((e) => e.action !== 'flag')) {
        const yes = buttons.appendChild(element('button', 'rule-accept', '\u2713 all'));
        const no = buttons.appendChild(element('button', 'rule-reject', '\u2717 all'));
        yes.type = no.type = 'button';
        yes.title = 'accept every edit of this rule';
        no.title = 'reject every edit of this rule';
        yes.addEventListener('click', () => decide(list, ACCEPTED));
        no.addEventListener('click', () => decide(list, REJECTED));
      }
      row.dataset.rule = rule;
      ruleRows.set(rule, { list, accepted });
      body.appendChild(row);
    }
  }

  function updateCounts() {
    for (const action of [...ACTIONS, 'all']) {
      const c = count(action === 'all' ? edits : edits.filter((e) => e.action === action));
      for (const [key, cell] of summaryCells[action])
        cell.textContent = action === 'flag' && key !== 'total' ? '' : String(c[key]);
    }
    for (const { list, accepted } of ruleRows.values())
      accepted.textContent = list[0].action === 'flag' ? '' : String(count(list).acc);
    byId('btn-undo').disabled = history.length === 0;
  }

  function buildFilters() {
    const present = (key, value) => edits.some((e) => e[key] === value);
    const add = (box, label, hidden, name, className) => {
      const item = element('label', className);
      const input = item.appendChild(element('input'));
      input.type = 'checkbox';
      input.checked = true;
      input.dataset.filter = name;
      item.appendChild(document.createTextNode(' ' + label));
      input.addEventListener('change', () => {
        if (input.checked) hidden.delete(name); else hidden.add(name);
        document.body.classList.toggle((hidden === hiddenKinds ? 'hide-k-' : 'hide-a-') + name,
                                       !input.checked);
      });
      box.appendChild(item);
    };
    for (const kind of KINDS)
      if (present('kind', kind))
        add(byId('kind-filters'), kind, hiddenKinds, kind, 'k-' + kind);
    for (const action of ACTIONS)
      if (present('action', action))
        add(byId('action-filters'), ACTION_WORDS[action], hiddenActions, action, '');
  }

  function describe(container, e, withState) {
    const change = container.appendChild(element('div', 'change'));
    change.appendChild(element('del', '', shown(e.old)));
    if (e.action !== 'flag') {
      change.appendChild(document.createTextNode(' \u2192 '));
      change.appendChild(element('ins', '', shown(e.new)));
    }
    const list = container.appendChild(element('dl'));
    const row = (term, value, className) => {
      list.appendChild(element('dt', '', term));
      return list.appendChild(element('dd', className || '', value));
    };
    row('rule', e.rule);
    row('kind', e.kind + ', ' + ACTION_WORDS[e.action]);
    row('confidence', e.confidence.toFixed(2));
    row('where', 'line ' + e.line + ', column ' + e.column);
    if (withState && e.action !== 'flag') {
      const words = { 1: 'accepted', '-1': 'rejected', 0: 'open' };
      row('decision', words[e.state], 'state-' + STATE_CLASS[e.state].slice(2));
    }
    if (e.reason) row('reason', e.reason);
  }

  function showCurrent() {
    const body = byId('cur-body');
    const e = edits[current];
    byId('cur-pos').textContent = e ? (current + 1) + ' of ' + edits.length : '';
    if (!e) return;
    body.replaceChildren();
    describe(body, e, true);
    const decidable = e.action !== 'flag';
    byId('btn-accept').disabled = !decidable;
    byId('btn-reject').disabled = !decidable;
  }

  // ------------------------------------------------------------ decisions

  function refresh(changed) {
    const dirty = new Set();
    for (const e of changed) {
      e.mark.className = markClass(e);
      dirty.add(e.block);
    }
    for (const b of dirty) renderFixed(blocks[b]);
    updateCounts();
    showCurrent();
  }

  function decide(list, state) {
    const changed = list.filter((e) => e.action !== 'flag' && e.state !== state);
    if (!changed.length) return;
    history.push(changed.map((e) => [e, e.state]));
    for (const e of changed) e.state = state;
    refresh(changed);
  }

  function undo() {
    const last = history.pop();
    if (!last) return;
    for (const [e, state] of last) e.state = state;
    if (last.length === 1) select(last[0][0].index);
    refresh(last.map(([e]) => e));
  }

  function visible(e) { return !hiddenKinds.has(e.kind) && !hiddenActions.has(e.action); }

  function select(index) {
    if (index < 0 || index >= edits.length) return;
    const before = edits[current];
    current = index;
    if (before) before.mark.className = markClass(before);
    const e = edits[index];
    e.mark.className = markClass(e);
    e.mark.scrollIntoView({ block: 'center' });
    showCurrent();
  }

  function move(step) {
    for (let i = current + step; i >= 0 && i < edits.length; i += step)
      if (visible(edits[i])) return select(i);
  }

  // Answer the current edit and go on to the next one, as the terminal review does.
  function answer(state) {
    const e = edits[current];
    if (!e) return move(1);
    decide([e], state);
    move(1);
  }

  function answerRule(state) {
    const e = edits[current];
    if (e) decide(edits.filter((other) => other.rule === e.rule), state);
  }

  // ------------------------------------------------------------ downloads

  function repairedText() {
    const parts = [];
    edits.forEach((e, i) => parts.push(gaps[i], e.state === ACCEPTED ? e.new : e.old));
    parts.push(gaps[edits.length]);
    return parts.join('');
  }

  // One line per edit, as `errata check --format=jsonl` writes it, with
  // "accept" for every decided edit; an open proposal or a flag has none.
  function decisions() {
    return edits.map((e) => {
      const line = {
        file: data.file, line: e.line, column: e.column, byte_start: e.byteStart,
        byte_end: e.byteEnd, cp_start: e.cpStart, cp_end: e.cpEnd, old: e.old, new: e.new,
        rule: e.rule, kind: e.kind, action: e.action, confidence: e.confidence, reason: e.reason,
      };
      if (e.action !== 'flag' && e.state !== OPEN) line.accept = e.state === ACCEPTED;
      return JSON.stringify(line) + '\n';
    }).join('');
  }

  function download(name, text, type) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const link = element('a');
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  const textName = data.name + '.repaired.txt', editsName = data.name + '.decisions.jsonl';

  // ------------------------------------------------------------ events

  function editAt(target) {
    const node = target.closest && target.closest('[data-i]');
    return node ? edits[Number(node.dataset.i)] : null;
  }

  function showTip(e, node) {
    const tip = byId('tip');
    tip.replaceChildren();
    describe(tip, e, false);
    tip.hidden = false;
    const box = node.getBoundingClientRect();
    const below = box.bottom + 6, room = window.innerHeight - below;
    tip.style.left = Math.max(4, Math.min(box.left, window.innerWidth - 430)) + 'px';
    tip.style.top = (room > 160 ? below : Math.max(4, box.top - tip.offsetHeight - 6)) + 'px';
  }

  function listen() {
    const blocksBox = byId('blocks');
    blocksBox.addEventListener('click', (event) => {
      const e = editAt(event.target);
      if (e) select(e.index);
    });
    blocksBox.addEventListener('mouseover', (event) => {
      const e = editAt(event.target);
      if (e) showTip(e, event.target.closest('[data-i]'));
    });
    blocksBox.addEventListener('mouseout', () => { byId('tip').hidden = true; });
    byId('btn-accept').addEventListener('click', () => answer(ACCEPTED));
    byId('btn-reject').addEventListener('click', () => answer(REJECTED));
    byId('btn-undo').addEventListener('click', undo);
    byId('dl-text').addEventListener('click', () =>
      download(textName, repairedText(), 'text/plain;charset=utf-8'));
    byId('dl-edits').addEventListener('click', () =>
      download(editsName, decisions(), 'application/jsonl;charset=utf-8'));
    byId('opt-side').addEventListener('change', (event) =>
      document.body.classList.toggle('single', !event.target.checked));
    const keys = {
      j: () => move(1), k: () => move(-1), y: () => answer(ACCEPTED), n: () => answer(REJECTED),
      a: () => answerRule(ACCEPTED), d: () => answerRule(REJECTED), u: undo,
    };
    document.addEventListener('keydown', (event) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      const act = keys[event.key];
      if (act) { event.preventDefault(); act(); }
    });
  }

  // ------------------------------------------------------------ start

  const blocks = makeBlocks();
  byId('doc-name').textContent = data.name;
  byId('doc-meta').textContent = data.bytes + ' bytes, ' + data.encoding + ', ' +
    edits.length + (edits.length === 1 ? ' edit' : ' edits');
  byId('dl-edits-name').textContent = editsName;
  buildSummary();
  buildFilters();
  buildRules();
  renderDocument(blocks);
  updateCounts();
  listen();
  if (!edits.length) byId('cur-body').replaceChildren(element('p', 'hint', 'errata found nothing to repair.'));
  window.errataReady = performance.now();
  document.body.dataset.ready = 'true';
})();
