// The sample's page: polls the JSON endpoints every second and draws what they say. No build step, no
// libraries; every URL is relative so the page also works under a context path.
'use strict';

const REFRESH_MS = 1000;
const COLORS = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477', '#66aa00'];

const $ = (id) => document.getElementById(id);

async function getJson(url) {
    const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) {
        throw new Error(url + ' answered ' + response.status);
    }
    return response.json();
}

function text(element, value) {
    element.textContent = value;
}

function escapeHtml(value) {
    return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

// ---- instance ----------------------------------------------------------------------------------------

async function loadInstance() {
    const instance = await getJson('api/instance');
    text($('instance-id'), instance.id);
    $('backends').innerHTML = Object.entries(instance.backends)
        .map(([feature, backend]) => `<span class="chip">${escapeHtml(feature)}: ${escapeHtml(backend)}</span>`)
        .join('') + (instance.embeddedServers ? '<span class="chip">embedded servers</span>' : '');
}

// ---- ring --------------------------------------------------------------------------------------------

function arcPath(start, end, radius, inner) {
    // one donut slice from fraction start to fraction end of the circle, clockwise from 12 o'clock
    const point = (fraction, r) => {
        const angle = 2 * Math.PI * fraction - Math.PI / 2;
        return [r * Math.cos(angle), r * Math.sin(angle)];
    };
    const large = end - start > 0.5 ? 1 : 0;
    const [x1, y1] = point(start, radius);
    const [x2, y2] = point(end, radius);
    const [x3, y3] = point(end, inner);
    const [x4, y4] = point(start, inner);
    return `M ${x1} ${y1} A ${radius} ${radius} 0 ${large} 1 ${x2} ${y2} L ${x3} ${y3} `
        + `A ${inner} ${inner} 0 ${large} 0 ${x4} ${y4} Z`;
}

function drawRing(ring) {
    const chart = $('ring-chart');
    const members = ring.members;
    let svg = '';
    if (members.length === 1) {
        svg += `<circle r="80" fill="none" stroke="${COLORS[0]}" stroke-width="40"></circle>`;
    } else {
        let start = 0;
        members.forEach((member, i) => {
            const end = start + member.share;
            svg += `<path d="${arcPath(start, Math.min(end, 0.99999), 100, 60)}" fill="${COLORS[i % COLORS.length]}">`
                + `<title>${escapeHtml(member.id)}: ${(member.share * 100).toFixed(1)}%</title></path>`;
            start = end;
        });
    }
    svg += `<text text-anchor="middle" dy="0.35em" font-size="16">${members.length} member${members.length === 1 ? '' : 's'}</text>`;
    chart.innerHTML = svg;
    $('ring-members').innerHTML = members.map((member, i) =>
        `<li class="${member.id === ring.self ? 'self' : ''}"><span class="swatch" style="background:${COLORS[i % COLORS.length]}"></span>`
        + `${escapeHtml(member.id)} — ${(member.share * 100).toFixed(1)}%${member.id === ring.self ? ' (this instance)' : ''}</li>`)
        .join('');
}

async function route(event) {
    event.preventDefault();
    const key = $('route-key').value;
    try {
        const answer = await getJson('route/' + encodeURIComponent(key));
        text($('route-result'), `→ ${answer.owner}${answer.local ? ' (this instance)' : ''}; then ${answer.preference.slice(1).join(', ') || 'no other member'}`);
    } catch (error) {
        text($('route-result'), error.message);
    }
}

// ---- locks and ring changes, from the actuator endpoint ----------------------------------------------

function showRinglockEndpoint(endpoint) {
    const body = $('locks-body');
    if (!endpoint) {
        body.innerHTML = '<tr><td colspan="4" class="muted">unavailable: this build has no /actuator/ringlock endpoint</td></tr>';
        $('ring-changes').innerHTML = '<li>unavailable</li>';
        return;
    }
    const locks = endpoint.locks || [];
    body.innerHTML = locks.length === 0
        ? '<tr><td colspan="4" class="muted">none right now</td></tr>'
        : locks.map((lock) => `<tr><td>${escapeHtml(lock.key)}</td><td>${escapeHtml(lock.fencingToken)}</td>`
            + `<td>${escapeHtml(lock.since)}</td><td>${lock.valid ? 'yes' : 'NO'}</td></tr>`).join('');
    const changes = (endpoint.ring && endpoint.ring.changes) || [];
    $('ring-changes').innerHTML = changes.length === 0
        ? '<li>none yet</li>'
        : changes.slice(0, 5).map((change) => `<li>${escapeHtml(change.at)}: `
            + (change.added.length ? `+${escapeHtml(change.added.join(', +'))} ` : '')
            + (change.removed.length ? `−${escapeHtml(change.removed.join(', −'))} ` : '')
            + `(${(change.movedFraction * 100).toFixed(1)}% of keys moved, ${change.members} members)</li>`).join('');
}

// ---- counters ----------------------------------------------------------------------------------------

function showCounters(counters) {
    text($('page-views'), counters.pageViews);
    text($('last-order'), counters.lastOrderId || '—');
    text($('orders-reserved'), counters.orderNumbersReserved);
}

// ---- scheduled jobs ----------------------------------------------------------------------------------

function lastRun(run, fence) {
    return run ? `${run.at} (${fence} ${run.fence})` : 'not yet';
}

function showJobs(jobs) {
    const leader = jobs.leader;
    text($('report-leader'), leader.leader || 'none seen yet');
    text($('report-role'), leader.leading ? `${leader.self}: leader, term ${leader.term}`
        : `${leader.self}: follower` + (leader.term > 0 ? ` (last term ${leader.term})` : ''));
    text($('report-runs'), jobs.report.runs);
    text($('report-last'), lastRun(jobs.report.lastRunHere, 'term'));
    text($('digest-hold'), jobs.digestHoldAtLeast);
    text($('digest-runs'), jobs.digest.runs);
    text($('digest-last'), lastRun(jobs.digest.lastRunHere, 'fencing token'));
}

// ---- demo --------------------------------------------------------------------------------------------

function showDemo(status) {
    const running = status.state === 'running';
    $('demo-button').disabled = running;
    const progress = $('demo-progress');
    progress.max = Math.max(status.total, 1);
    progress.value = status.state === 'idle' ? 0 : status.done;
    const result = $('demo-result');
    if (status.state === 'idle') {
        text($('demo-status'), 'Not run yet.');
        text(result, '');
    } else if (running) {
        text($('demo-status'), `Running on ${status.backend}: ${status.done}/${status.total} attempts done on ${status.orders.join(', ')}…`);
    } else if (status.state === 'failed') {
        text($('demo-status'), 'The last run failed.');
        text(result, status.error);
        result.className = 'result bad';
    } else {
        text($('demo-status'), `Last run: orders ${status.orders.join(', ')}, started ${status.startedAt}.`);
        text(result, status.summary);
        result.className = 'result ' + (status.result.doublePayments === 0 ? 'good' : 'bad');
    }
}

async function startDemo() {
    $('demo-button').disabled = true;
    try {
        const response = await fetch('demo', { method: 'POST', headers: { Accept: 'application/json' } });
        const body = await response.json();
        if (response.ok) {
            showDemo(body);
        } else {
            text($('demo-status'), body.detail || ('POST /demo answered ' + response.status));
        }
    } catch (error) {
        text($('demo-status'), error.message);
    }
    refresh();
}

// ---- refresh loop ------------------------------------------------------------------------------------

async function refresh() {
    const tasks = [
        getJson('demo').then(showDemo),
        getJson('api/ring').then(drawRing),
        getJson('api/counters').then(showCounters),
        getJson('api/jobs').then(showJobs),
        getJson('actuator/ringlock').then(showRinglockEndpoint, () => showRinglockEndpoint(null)),
    ];
    const results = await Promise.allSettled(tasks);
    const failed = results.filter((r) => r.status === 'rejected');
    if (failed.length > 0) {
        console.warn('refresh:', failed.map((r) => r.reason.message).join('; '));
    }
}

document.addEventListener('DOMContentLoaded', () => {
    $('demo-button').addEventListener('click', startDemo);
    $('route-form').addEventListener('submit', route);
    loadInstance().catch((error) => console.warn(error));
    refresh();
    setInterval(refresh, REFRESH_MS);
});
