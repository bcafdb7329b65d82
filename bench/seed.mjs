// Fills local storage, inside the page, with cases in the app's stored format (schema 1): `cases`
// small ones and one with `largeEvents` events. Returns the large case's id.
export function seedScript({ cases, largeEvents }) {
  const hex = (n, width = 32) => n.toString(16).padStart(width, '0');
  const rows = ['3.1.1-a', '3.1.1-b', '3.1.1-c', '3.1.2-a', '3.1.3-a', '3.1.3-b', '3.1.3-c', '3.2.1-a',
    '3.2.1-b', '3.2.2-a', '3.2.2-b', '3.2.2-c', '3.2.3-a', '3.2.3-b', '3.2.4-a', '3.2.4-b', '3.2.4-c',
    '3.2.4-d', '3.2.4-e'];
  const base = Date.now() - 3 * 24 * 3600 * 1000;
  const iso = (ms) => new Date(ms).toISOString().replace('.000Z', 'Z');
  const author = { role: 'initial_support', name: 'Bänk Testsson' };
  const makeCase = (caseNumber, eventCount) => {
    const id = hex(0xca5e0000 + caseNumber);
    const incident = base - caseNumber * 3600 * 1000;
    const events = [{
      id: hex(caseNumber * 100000),
      at: iso(incident + 60000),
      device: 'bench-device',
      author,
      payload: { type: 'case_opened', routine: { id: 'oxelosund-bilaga3', version: 1 }, incident_at: iso(incident) },
    }];
    for (let n = 1; n < eventCount; n += 1) {
      const row = rows[n % rows.length];
      const at = incident + 60000 + n * 1000;
      const payload = n % 3 === 0
        ? { type: 'note_added', row, text: `Anteckning ${n}: samtal med den utsatte, allt lugnt, stödperson på väg.` }
        : n % 3 === 1
          ? { type: 'row_done', row, done_at: iso(at) }
          : { type: 'row_reopened', row };
      events.push({ id: hex(caseNumber * 100000 + n), at: iso(at), device: 'bench-device', author, payload });
    }
    localStorage.setItem(`stodrutin.case.${id}`, JSON.stringify({ schema: 1, case: { id, events } }));
    return id;
  };
  localStorage.clear();
  for (let c = 1; c <= cases; c += 1) makeCase(c, 1 + (c % 19));
  const largeId = makeCase(0, largeEvents);
  return { largeId };
}
