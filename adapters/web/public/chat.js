// @ts-check
'use strict';

/*
 * Customer web chat for the after-sales bot.
 *
 * Plain browser script, no build step. The page keeps a small model and
 * re-renders the whole message list from it on every change:
 *   - state.transcript: activities as the server knows them (history, greeting,
 *     POST replies, WebSocket pushes);
 *   - state.outbox: the customer's messages not yet confirmed by the server
 *     (queued, in flight, failed or rejected).
 * Re-rendering from the model (instead of patching the DOM) is what lets a
 * history re-fetch after every WebSocket (re)connect replace everything
 * without losing or duplicating messages.
 *
 * All text is inserted with textContent — customer and bot text may contain
 * markup and must never be interpreted as HTML.
 */
(function () {
  const STORAGE_KEY = 'cs.web.conversation';
  const ACKS_KEY = 'cs.web.acks';
  const MAX_ACKS = 300;
  const API_BASE = '/api/web/conversations';

  const POST_RETRIES = 3; // retries after the first attempt
  const POST_TIMEOUT_MS = 60000; // a bot turn may be slow; the server dedupes retries by client id
  const HISTORY_TIMEOUT_MS = 15000;
  const CREATE_TIMEOUT_MS = 15000;
  const RECONNECT_MAX_MS = 15000;
  const NEAR_BOTTOM_PX = 80;

  const TEXT = {
    agentName: '人工客服',
    typing: '正在输入…',
    reconnecting: '连接已断开，正在重连…',
    serverDown: '无法连接服务器，正在重试…',
    sendFailed: '未发送，网络恢复后会自动重发',
    retry: '重试',
    tooLong: '消息太长了，请缩短后再发送',
    badRequest: '消息无法发送，请修改后再试',
    sessionLost: '会话已失效，未发送',
    slowDown: '您发得太快了，请稍后再发。',
    withBot: '智能助手为您服务',
    waiting: '排队中，等待人工客服接入',
    withAgent: (name) => (name ? `人工客服 ${name} 为您服务` : '人工客服为您服务'),
    ackQueue: '✓ 已转给客服',
    ackAgent: '✓ 已送达',
    // The long one where it fits (a desktop keyboard); phones get the short one, never a cut one.
    placeholders: ['请输入您的问题，Enter 发送，Shift+Enter 换行', '请输入您的问题'],
  };
  // The page is Chinese; only what answers a customer's own English message is said in English.
  const TEXT_EN = {
    slowDown: 'You are sending messages a little too fast. Please wait a moment and send it again.',
  };

  const HERO_CARD = 'application/vnd.microsoft.card.hero';

  const els = {
    messages: document.getElementById('messages'),
    composer: document.getElementById('composer'),
    input: /** @type {HTMLTextAreaElement} */ (document.getElementById('input')),
    send: document.getElementById('send'),
    status: document.getElementById('status'),
    restart: document.getElementById('restart'),
    header: document.getElementById('header'),
    handoff: document.getElementById('handoff-state'),
    confirm: document.getElementById('restart-confirm'),
    confirmOk: document.getElementById('restart-ok'),
    confirmCancel: document.getElementById('restart-cancel'),
  };

  const state = {
    session: null, // { conversationId, token }
    epoch: 0, // bumped whenever the session is dropped; stale async results compare against it
    creating: null, // promise of an in-progress "create conversation"
    serverDown: false, // creating a conversation keeps failing
    transcript: [], // server-side activities, oldest first
    outbox: [], // pending customer messages (see newOutboxMessage)
    deliveredIds: new Set(), // client ids the server has answered; never "re-match" these
    sending: false, // one POST at a time so replies stay in order
    changeSeq: 0, // bumped on local transcript changes; detects stale history responses
    historySeq: 0, // only the latest history request may be applied
    ws: null,
    wsTimer: null,
    wsAttempts: 0,
    wsDown: false,
    renderedCount: 0,
    slowDown: null, // { text, timer } while the server asks us to wait (HTTP 429)
    handoff: { state: 'bot', at: '' }, // who answers now, as the server last said
    acks: new Map(), // client id → 'queue' | 'agent': the message went to people, not the bot
  };

  /* ------------------------------------------------------------------ */
  /* Small helpers                                                       */
  /* ------------------------------------------------------------------ */

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  function backoffDelay(attempt, baseMs, maxMs) {
    return Math.min(baseMs * 2 ** attempt, maxMs);
  }

  // crypto.randomUUID only exists in secure contexts (https / localhost);
  // fall back to getRandomValues so plain-http LAN deployments still work.
  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') {
      return window.crypto.randomUUID();
    }
    const b = window.crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function activitiesOf(data) {
    return data && Array.isArray(data.activities) ? data.activities : [];
  }

  function isMessage(activity) {
    return Boolean(activity) && activity.type === 'message';
  }

  function roleOf(activity) {
    const role = activity.from && activity.from.role;
    if (role === 'user') return 'user';
    if (role === 'agent') return 'agent';
    return 'bot';
  }

  function heroCardsOf(activity) {
    if (!Array.isArray(activity.attachments)) return [];
    return activity.attachments
      .filter((a) => a && a.contentType === HERO_CARD && a.content && typeof a.content === 'object')
      .map((a) => a.content);
  }

  function hasText(activity) {
    return typeof activity.text === 'string' && activity.text.trim() !== '';
  }

  // Messages with neither text nor a card we understand are skipped entirely.
  function isRenderable(activity) {
    return isMessage(activity) && (hasText(activity) || heroCardsOf(activity).length > 0);
  }

  function countUserMessages(activities) {
    return activities.filter((a) => isMessage(a) && roleOf(a) === 'user').length;
  }

  /* ------------------------------------------------------------------ */
  /* Persistence                                                         */
  /* ------------------------------------------------------------------ */

  // localStorage can throw (private mode, disabled storage); the chat still works without it.
  function loadStoredSession() {
    try {
      const parsed = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
      if (parsed && typeof parsed.conversationId === 'string' && typeof parsed.token === 'string') {
        return { conversationId: parsed.conversationId, token: parsed.token };
      }
    } catch (_) {
      /* ignore corrupt or unavailable storage */
    }
    return null;
  }

  function saveSession(session) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    } catch (_) {
      /* ignore */
    }
  }

  function clearStoredSession() {
    try {
      localStorage.removeItem(STORAGE_KEY);
      localStorage.removeItem(ACKS_KEY);
    } catch (_) {
      /* ignore */
    }
  }

  // The server's record does not say which messages went to people; the page remembers it, so
  // the acknowledgements survive a history re-fetch and a reload.
  function loadStoredAcks(conversationId) {
    try {
      const parsed = JSON.parse(localStorage.getItem(ACKS_KEY) || 'null');
      if (parsed && parsed.conversationId === conversationId && parsed.ids && typeof parsed.ids === 'object') {
        return new Map(Object.entries(parsed.ids).filter(([, kind]) => kind === 'queue' || kind === 'agent'));
      }
    } catch (_) {
      /* ignore corrupt or unavailable storage */
    }
    return new Map();
  }

  function saveAcks() {
    if (!state.session) return;
    // Oldest first in a Map: keep only the latest ones.
    const entries = Array.from(state.acks.entries()).slice(-MAX_ACKS);
    state.acks = new Map(entries);
    try {
      localStorage.setItem(ACKS_KEY, JSON.stringify({ conversationId: state.session.conversationId, ids: Object.fromEntries(entries) }));
    } catch (_) {
      /* ignore */
    }
  }

  /* ------------------------------------------------------------------ */
  /* HTTP                                                                */
  /* ------------------------------------------------------------------ */

  function conversationPath(session, suffix) {
    return `${API_BASE}/${encodeURIComponent(session.conversationId)}/${suffix}`;
  }

  // Seconds from a Retry-After header (a number of seconds is all the server sends).
  function retryAfterSeconds(res) {
    const seconds = Number(res.headers.get('Retry-After'));
    return Number.isFinite(seconds) && seconds >= 1 ? Math.min(seconds, 3600) : 5;
  }

  // The language of a text, like the server's detectLanguage: Han characters → Chinese, a few Latin
  // words → English, otherwise unknown (null).
  function languageOf(text) {
    if (/\p{Script=Han}/u.test(text)) return 'zh';
    const words = String(text).match(/(?<![A-Za-z0-9])[A-Za-z]{2,}(?![A-Za-z0-9])/g) || [];
    if (words.length >= 2 || words.join('').length >= 4) return 'en';
    return null;
  }

  // Resolves with { status, data, retryAfter } for any HTTP answer; rejects only on
  // network failure or timeout, which callers treat as "retry later".
  /** @param {string} method @param {string} path @param {{ token?: string, body?: unknown, timeoutMs?: number }} [options] */
  async function apiRequest(method, path, { token, body, timeoutMs } = {}) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs || 30000);
    try {
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (token) headers.Authorization = `Bearer ${token}`;
      const res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: 'no-store',
      });
      let data = null;
      try {
        data = await res.json();
      } catch (_) {
        /* empty or non-JSON body */
      }
      return { status: res.status, data, retryAfter: res.status === 429 ? retryAfterSeconds(res) : 0 };
    } finally {
      clearTimeout(timer);
    }
  }

  // { ok, gone, activities }; gone = the server no longer knows this conversation/token.
  async function fetchHistory(session) {
    const res = await apiRequest('GET', conversationPath(session, 'history'), {
      token: session.token,
      timeoutMs: HISTORY_TIMEOUT_MS,
    });
    return {
      ok: res.status === 200,
      gone: res.status === 401 || res.status === 404,
      activities: activitiesOf(res.data),
      handoff: res.data && res.data.handoff,
    };
  }

  /* ------------------------------------------------------------------ */
  /* Conversation lifecycle                                              */
  /* ------------------------------------------------------------------ */

  // Keeps trying until the server hands out a conversation (the customer
  // cannot do anything without one). Gives up silently if the session was
  // reset meanwhile — the reset starts its own creation.
  async function createConversation() {
    const epoch = state.epoch;
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await apiRequest('POST', API_BASE, { body: {}, timeoutMs: CREATE_TIMEOUT_MS });
        if (epoch !== state.epoch) return;
        const data = res.data || {};
        if (res.status >= 200 && res.status < 300 && data.conversationId && data.token) {
          adoptSession({ conversationId: String(data.conversationId), token: String(data.token) }, activitiesOf(data));
          return;
        }
        if (res.status === 429) {
          // Too many new conversations from this address: wait as long as the server says.
          showSlowDown(TEXT.slowDown, res.retryAfter);
          await sleep(res.retryAfter * 1000);
          if (epoch !== state.epoch) return;
          continue;
        }
      } catch (_) {
        /* network error: retry below */
      }
      if (epoch !== state.epoch) return;
      state.serverDown = true;
      updateStatus();
      await sleep(backoffDelay(attempt, 1000, RECONNECT_MAX_MS));
      if (epoch !== state.epoch) return;
    }
  }

  // Returns the current session, creating a conversation if there is none.
  async function ensureSession() {
    while (!state.session) {
      if (!state.creating) {
        const creation = createConversation();
        state.creating = creation;
        creation.then(() => {
          if (state.creating === creation) state.creating = null;
        });
      }
      await state.creating;
    }
    return state.session;
  }

  function adoptSession(session, greeting) {
    state.session = session;
    state.serverDown = false;
    saveSession(session);
    state.acks = new Map();
    state.handoff = { state: 'bot', at: '' };
    state.transcript = greeting.slice();
    state.changeSeq++;
    updateStatus();
    render({ forceScroll: true });
    connectStream();
  }

  // Drops the current conversation (server said 401/404, or the customer
  // restarts). Pending customer messages survive unless the caller clears them.
  function forgetSession() {
    state.epoch++;
    closeStream();
    clearStoredSession();
    state.session = null;
    state.transcript = [];
    state.acks = new Map();
    state.handoff = { state: 'bot', at: '' };
    state.wsDown = false;
    state.wsAttempts = 0;
    // A rejected message belongs to the old transcript; it will never be sent.
    state.outbox = state.outbox.filter((msg) => msg.status !== 'rejected');
    for (const msg of state.outbox) {
      // Their positions in the old transcript mean nothing in the new one.
      msg.userCountBefore = Infinity;
      msg.inHistory = false;
    }
    updateStatus();
    render();
  }

  function renewConversation() {
    forgetSession();
    return ensureSession();
  }

  // Header button: a clean slate, including anything still waiting to be sent.
  function restartConversation() {
    state.outbox = [];
    state.sending = false;
    state.creating = null;
    state.serverDown = false;
    forgetSession();
    ensureSession();
  }

  /* ------------------------------------------------------------------ */
  /* Transcript model                                                    */
  /* ------------------------------------------------------------------ */

  // Fetches the full transcript and replaces the local copy with it.
  async function refreshHistory() {
    const session = state.session;
    if (!session) return;
    const seq = ++state.historySeq;
    const changeAtStart = state.changeSeq;
    let result;
    try {
      result = await fetchHistory(session);
    } catch (_) {
      return; // offline: the WebSocket reconnect loop will try again
    }
    if (state.session !== session || seq !== state.historySeq) return;
    if (result.gone) {
      renewConversation();
      return;
    }
    if (!result.ok) return;
    // Something arrived locally while the request was out; the response may
    // predate it, so ask again rather than drop a message from the screen.
    if (state.changeSeq !== changeAtStart) {
      refreshHistory();
      return;
    }
    state.transcript = result.activities.slice();
    applyHandoff(result.handoff);
    render();
    retryFailed(); // the server answers again: whatever could not be sent goes now
  }

  // Appends activities not already present (by id) — for POST replies and pushes.
  function mergeActivities(activities) {
    const known = new Set(state.transcript.map((a) => a && a.id).filter(Boolean));
    let added = false;
    for (const activity of activities) {
      if (!activity || typeof activity !== 'object') continue;
      if (activity.id && known.has(activity.id)) continue;
      if (activity.id) known.add(activity.id);
      state.transcript.push(activity);
      added = true;
    }
    if (added) state.changeSeq++;
    return added;
  }

  // Takes the server's word on who answers now, unless an answer read later was already applied
  // (a reply and a push can cross). Returns whether anything changed.
  function applyHandoff(handoff) {
    if (!handoff || typeof handoff !== 'object') return false;
    const next = handoff.state === 'waiting' || handoff.state === 'withAgent' ? handoff.state : 'bot';
    const at = typeof handoff.at === 'string' ? handoff.at : '';
    if (at && state.handoff.at && at < state.handoff.at) return false;
    const changed = next !== state.handoff.state;
    state.handoff = { state: next, at };
    return changed;
  }

  // The agent the customer talks to: named by the latest agent message or hand-off notice.
  function agentName() {
    for (let i = state.transcript.length - 1; i >= 0; i--) {
      const activity = state.transcript[i];
      if (!isMessage(activity)) continue;
      const data = activity.channelData;
      if (data && typeof data.agent === 'string' && data.agent.trim()) return data.agent.trim();
      if (roleOf(activity) === 'agent' && activity.from && typeof activity.from.name === 'string' && activity.from.name.trim()) {
        return activity.from.name.trim();
      }
    }
    return '';
  }

  /*
   * Decides which outbox messages are already part of the transcript, so a
   * history fetched while a POST is in flight (or after a lost response)
   * does not show the customer's message twice. Matches by client id when
   * the server echoes it; for the in-flight message also by text among user
   * messages that appeared after it was sent.
   */
  function reconcileOutbox() {
    const userActivities = state.transcript.filter((a) => isMessage(a) && roleOf(a) === 'user');
    const claimed = new Set();

    const matchesId = (activity, msg) =>
      activity.id === msg.clientId || Boolean(activity.channelData && activity.channelData.clientMessageId === msg.clientId);

    for (const msg of state.outbox) {
      msg.inHistory = false;
      if (msg.status !== 'sending' && msg.status !== 'failed') continue;

      let index = userActivities.findIndex((a, i) => !claimed.has(i) && matchesId(a, msg));
      if (index < 0 && msg.status === 'sending') {
        index = userActivities.findIndex(
          (a, i) =>
            !claimed.has(i) &&
            i >= msg.userCountBefore &&
            !state.deliveredIds.has(a.id) &&
            typeof a.text === 'string' &&
            a.text.trim() === msg.text,
        );
      }
      if (index >= 0) {
        claimed.add(index);
        msg.inHistory = true;
      }
    }
    // A "failed" message the server did record was delivered after all.
    state.outbox = state.outbox.filter((msg) => !(msg.status === 'failed' && msg.inHistory));
  }

  /* ------------------------------------------------------------------ */
  /* Sending                                                             */
  /* ------------------------------------------------------------------ */

  function newOutboxMessage(text) {
    return {
      clientId: newClientId(), // generated once; reused by every retry so the server can dedupe
      text,
      status: 'queued', // queued | sending | failed | rejected
      failure: null, // failed only: 'network' (retried by itself) | 'session'
      error: null,
      anchorId: null, // rejected only: shown right after this transcript activity
      inHistory: false,
      userCountBefore: Infinity,
      renewals: 0,
    };
  }

  function sendText(text) {
    const trimmed = String(text || '').trim();
    if (!trimmed) return;
    state.outbox.push(newOutboxMessage(trimmed));
    // A new message is a new attempt for the unsent ones before it, which go first, in order.
    requeueFailed((msg) => msg.failure === 'network');
    render({ forceScroll: true });
    pumpOutbox();
  }

  function retryMessage(msg) {
    if (msg.status !== 'failed' || !state.outbox.includes(msg)) return;
    // Messages are sent in the order they were typed: retrying one retries those before it too.
    const index = state.outbox.indexOf(msg);
    requeueFailed((m) => m === msg || (state.outbox.indexOf(m) < index && m.failure === 'network'));
    render({ forceScroll: true });
    pumpOutbox();
  }

  function requeueFailed(which) {
    let any = false;
    for (const msg of state.outbox) {
      if (msg.status !== 'failed' || !which(msg)) continue;
      msg.status = 'queued';
      msg.failure = null;
      msg.error = null;
      any = true;
    }
    return any;
  }

  // The network is back (the browser says so, or the server just answered): send what could not
  // be sent, with the same client ids — the server dedupes, so nothing becomes a second turn.
  function retryFailed() {
    if (!requeueFailed((msg) => msg.failure === 'network')) return;
    render();
    pumpOutbox();
  }

  // Keeps the order: messages after one that could not be sent wait for it.
  function failFrom(msg, failure) {
    const from = state.outbox.indexOf(msg);
    for (const m of state.outbox.slice(from)) {
      if (m === msg || m.status === 'queued') {
        m.status = 'failed';
        m.failure = m === msg ? failure : 'network';
      }
    }
  }

  function isOffline() {
    return typeof navigator.onLine === 'boolean' && !navigator.onLine;
  }

  // Sends the oldest queued message; runs again when it finishes, so
  // messages typed while waiting go out one by one, in order.
  async function pumpOutbox() {
    if (state.sending) return;
    const msg = state.outbox.find((m) => m.status === 'queued');
    if (!msg) return;

    if (isOffline()) {
      // No point in burning the retries now: the 'online' event sends it.
      failFrom(msg, 'network');
      render({ forceScroll: true });
      return;
    }

    state.sending = true;
    msg.status = 'sending';
    render({ forceScroll: true });

    const session = await ensureSession();
    if (!state.outbox.includes(msg)) return; // restarted meanwhile; restart reset `sending`

    msg.userCountBefore = countUserMessages(state.transcript);
    const result = await postMessage(session, msg);
    if (!state.outbox.includes(msg)) return;

    if (state.session !== session) {
      // The conversation was replaced while this was in flight: send it again in the new one.
      msg.status = 'queued';
    } else if (result.kind === 'ok') {
      completeMessage(msg, result);
    } else if (result.kind === 'gone') {
      msg.renewals++;
      if (msg.renewals > 1) {
        failFrom(msg, 'session');
      } else {
        msg.status = 'queued';
        renewConversation();
      }
    } else if (result.kind === 'slowDown') {
      giveBackUnsent(msg);
      showSlowDown(slowDownTextFor(msg.text), result.retryAfter);
    } else if (result.kind === 'rejected') {
      msg.status = 'rejected';
      msg.error = result.error;
      // Keep the rejected bubble where it was typed instead of pinning it to the bottom.
      const shown = state.transcript.filter(isRenderable);
      // null = before everything; undefined (anchor without id) = shown at the end.
      msg.anchorId = shown.length ? shown[shown.length - 1].id || undefined : null;
    } else {
      failFrom(msg, 'network');
    }

    state.sending = false;
    render();
    if (result.kind === 'ok') retryFailed();
    pumpOutbox();
  }

  // Over the rate limit nothing was recorded: the message and any queued after it (which would be
  // refused too) go back into the input box, before whatever the customer is typing now, so that
  // nothing they typed is lost and they can send it again once the wait is over.
  function giveBackUnsent(msg) {
    const from = state.outbox.indexOf(msg);
    const unsent = state.outbox.slice(from).filter((m) => m === msg || m.status === 'queued');
    state.outbox = state.outbox.filter((m) => !unsent.includes(m));
    const typing = els.input.value.trim();
    els.input.value = [...unsent.map((m) => m.text), ...(typing ? [typing] : [])].join('\n');
    autosizeInput();
  }

  function slowDownTextFor(text) {
    if (languageOf(text) === 'en') return TEXT_EN.slowDown;
    if (languageOf(text) === 'zh') return TEXT.slowDown;
    const lastOwn = state.transcript.filter((a) => isMessage(a) && roleOf(a) === 'user' && hasText(a)).pop();
    return lastOwn && languageOf(lastOwn.text) === 'en' ? TEXT_EN.slowDown : TEXT.slowDown;
  }

  // Shown in the status line for as long as the server asked us to wait.
  function showSlowDown(text, seconds) {
    if (state.slowDown) clearTimeout(state.slowDown.timer);
    const timer = setTimeout(() => {
      state.slowDown = null;
      updateStatus();
    }, seconds * 1000);
    state.slowDown = { text, timer };
    updateStatus();
  }

  // POST with retries on network errors / 5xx. Returns { kind: 'ok', activities } | { kind: 'gone' } |
  // { kind: 'slowDown', retryAfter } | { kind: 'rejected', error } | { kind: 'failed' }.
  async function postMessage(session, msg) {
    const path = conversationPath(session, 'messages');
    for (let attempt = 0; ; attempt++) {
      let res = null;
      try {
        res = await apiRequest('POST', path, {
          token: session.token,
          body: { id: msg.clientId, text: msg.text },
          timeoutMs: POST_TIMEOUT_MS,
        });
      } catch (_) {
        /* network error or timeout: retry with the same client id */
      }

      if (res) {
        if (res.status >= 200 && res.status < 300) {
          const data = res.data || {};
          return { kind: 'ok', activities: activitiesOf(data), handoff: data.handoff, toAgents: data.toAgents === true };
        }
        if (res.status === 401 || res.status === 404) return { kind: 'gone' };
        if (res.status === 413) return { kind: 'rejected', error: TEXT.tooLong };
        // Not retried: a retry within the wait is refused again and only lengthens the flood.
        if (res.status === 429) return { kind: 'slowDown', retryAfter: res.retryAfter };
        const retryable = res.status >= 500 || res.status === 408 || res.status === 409;
        if (!retryable) return { kind: 'rejected', error: TEXT.badRequest };
      }

      if (attempt >= POST_RETRIES || state.session !== session || isOffline()) return { kind: 'failed' };
      await sleep(backoffDelay(attempt, 600, 5000));
    }
  }

  function completeMessage(msg, result) {
    const replies = result.activities;
    state.outbox = state.outbox.filter((m) => m !== msg);
    state.deliveredIds.add(msg.clientId);
    applyHandoff(result.handoff);
    if (result.toAgents) {
      const withAgent = Boolean(result.handoff) && result.handoff.state === 'withAgent';
      state.acks.set(msg.clientId, withAgent ? 'agent' : 'queue');
      saveAcks();
    }
    const alreadyShown = msg.inHistory || state.transcript.some((a) => a && a.id === msg.clientId);
    if (!alreadyShown) {
      // Local echo of the customer's message; the next history fetch replaces it with the server's copy.
      state.transcript.push({
        type: 'message',
        id: msg.clientId,
        from: { role: 'user' },
        text: msg.text,
        timestamp: new Date().toISOString(),
      });
      state.changeSeq++;
    }
    mergeActivities(replies);
  }

  /* ------------------------------------------------------------------ */
  /* WebSocket stream                                                    */
  /* ------------------------------------------------------------------ */

  function streamUrl(session) {
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    return `${scheme}://${location.host}${conversationPath(session, 'stream')}?token=${encodeURIComponent(session.token)}`;
  }

  function connectStream() {
    clearTimeout(state.wsTimer);
    state.wsTimer = null;
    const session = state.session;
    if (!session || state.ws) return;

    let ws;
    try {
      ws = new WebSocket(streamUrl(session));
    } catch (_) {
      scheduleReconnect();
      return;
    }
    state.ws = ws;

    ws.addEventListener('open', () => {
      if (state.ws !== ws) return;
      state.wsAttempts = 0;
      state.wsDown = false;
      // Readable from outside (support staff, tests): whether pushes reach this page live.
      document.documentElement.dataset.stream = 'open';
      updateStatus();
      // Anything pushed while we were disconnected is only in the history.
      refreshHistory();
    });

    ws.addEventListener('message', (event) => {
      if (state.ws !== ws) return;
      handleStreamFrame(event.data);
    });

    ws.addEventListener('close', () => {
      if (state.ws !== ws) return; // closed on purpose by closeStream()
      state.ws = null;
      state.wsDown = true;
      document.documentElement.dataset.stream = 'closed';
      updateStatus();
      // The drop may mean the token/conversation is gone (the handshake would
      // keep failing); a history request tells us, and renews if so.
      refreshHistory();
      scheduleReconnect();
    });
    // 'error' is always followed by 'close', which does the work.
  }

  function scheduleReconnect() {
    if (!state.session || state.wsTimer) return;
    const delay = backoffDelay(state.wsAttempts, 1000, RECONNECT_MAX_MS);
    state.wsAttempts++;
    state.wsTimer = setTimeout(() => {
      state.wsTimer = null;
      connectStream();
    }, delay);
  }

  // Skip the back-off when the browser tells us the network is probably back.
  function reconnectNow() {
    if (!state.session || state.ws) return;
    state.wsAttempts = 0;
    connectStream();
  }

  function closeStream() {
    clearTimeout(state.wsTimer);
    state.wsTimer = null;
    const ws = state.ws;
    state.ws = null; // set first so the close handler recognises a deliberate close
    if (ws) {
      try {
        ws.close();
      } catch (_) {
        /* ignore */
      }
    }
  }

  function handleStreamFrame(raw) {
    if (typeof raw !== 'string') return;
    let data;
    try {
      data = JSON.parse(raw);
    } catch (_) {
      return;
    }
    const activities = activitiesOf(data);
    if (activities.length === 0) return; // keep-alive "{}"
    const moved = applyHandoff(data.handoff);
    if (mergeActivities(activities) || moved) render();
  }

  /* ------------------------------------------------------------------ */
  /* Rendering                                                           */
  /* ------------------------------------------------------------------ */

  function updateStatus() {
    let text = '';
    if (state.slowDown) text = state.slowDown.text;
    else if (state.serverDown) text = TEXT.serverDown;
    else if (state.wsDown && state.session) text = TEXT.reconnecting;
    els.status.textContent = text;
    els.status.hidden = text === '';
  }

  function isNearBottom(list) {
    return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  function render({ forceScroll = false } = {}) {
    reconcileOutbox();

    const list = els.messages;
    const stickToBottom = forceScroll || isNearBottom(list);

    renderHeader();

    const shown = state.transcript.filter(isRenderable);
    const pending = state.outbox.filter((m) => !m.inHistory && m.status !== 'rejected');
    const rejected = state.outbox.filter((m) => m.status === 'rejected');
    // Buttons belong to what was said since the customer's last message: every message of that
    // reply (a thank-you with 评价 stays usable under the menu that follows it), and none once
    // the customer has said something after it (rejected messages don't count).
    let lastUser = -1;
    shown.forEach((activity, i) => {
      if (roleOf(activity) === 'user') lastUser = i;
    });
    const withActions = new Set(pending.length === 0 ? shown.slice(lastUser + 1) : []);

    const fragment = document.createDocumentFragment();
    const placed = new Set();
    const placeRejected = (anchorId) => {
      for (const msg of rejected) {
        if (!placed.has(msg) && msg.anchorId === anchorId) {
          fragment.appendChild(renderPending(msg));
          placed.add(msg);
        }
      }
    };
    placeRejected(null); // rejected before anything was shown
    for (const activity of shown) {
      fragment.appendChild(renderActivity(activity, withActions.has(activity)));
      if (activity.id) placeRejected(activity.id);
    }
    // Anchor gone (e.g. history replaced the local echo): show at the end rather than lose it.
    for (const msg of rejected) {
      if (!placed.has(msg)) fragment.appendChild(renderPending(msg));
    }
    for (const msg of pending) {
      fragment.appendChild(renderPending(msg));
    }
    if (state.sending) fragment.appendChild(renderTyping());
    list.replaceChildren(fragment);

    const count = list.childElementCount;
    if (stickToBottom || count > state.renderedCount) list.scrollTop = list.scrollHeight;
    state.renderedCount = count;
  }

  function renderHeader() {
    const { state: handoff } = state.handoff;
    const text = handoff === 'waiting' ? TEXT.waiting : handoff === 'withAgent' ? TEXT.withAgent(agentName()) : TEXT.withBot;
    if (els.handoff.textContent !== text) els.handoff.textContent = text;
    els.header.dataset.handoff = handoff;
  }

  function formatTime(timestamp) {
    const date = new Date(timestamp);
    if (Number.isNaN(date.getTime())) return '';
    return date.toLocaleString('zh-CN', { hour12: false });
  }

  function renderActivity(activity, withActions) {
    const role = roleOf(activity);
    const row = el('div', `msg msg-${role}`);
    if (activity.id) row.dataset.id = activity.id;

    if (role === 'agent') {
      const name = activity.from && typeof activity.from.name === 'string' && activity.from.name.trim();
      row.appendChild(el('div', 'msg-name', name || TEXT.agentName));
    }

    const bubble = el('div', 'msg-bubble');
    if (activity.timestamp) bubble.title = formatTime(activity.timestamp);
    if (hasText(activity)) bubble.appendChild(el('div', 'msg-text', activity.text));

    const cards = heroCardsOf(activity);
    for (const card of cards) bubble.appendChild(renderHeroCard(card));
    row.appendChild(bubble);

    const ack = role === 'user' && activity.id ? state.acks.get(activity.id) : undefined;
    if (ack) row.appendChild(el('div', 'msg-ack', ack === 'agent' ? TEXT.ackAgent : TEXT.ackQueue));

    if (withActions) {
      const actions = [];
      if (activity.suggestedActions && Array.isArray(activity.suggestedActions.actions)) {
        actions.push(...activity.suggestedActions.actions);
      }
      for (const card of cards) {
        if (Array.isArray(card.buttons)) actions.push(...card.buttons);
      }
      const chips = renderChips(actions);
      if (chips) row.appendChild(chips);
    }
    return row;
  }

  function renderHeroCard(card) {
    const node = el('div', 'card');
    if (card.title) node.appendChild(el('div', 'card-title', card.title));
    if (card.subtitle) node.appendChild(el('div', 'card-subtitle', card.subtitle));
    if (card.text) node.appendChild(el('div', 'card-text', card.text));
    return node;
  }

  // What a button sends as the customer's message.
  function actionText(action) {
    if (typeof action.value === 'string' && action.value.trim()) return action.value;
    if (typeof action.text === 'string' && action.text.trim()) return action.text; // messageBack
    if (typeof action.title === 'string') return action.title;
    return '';
  }

  function isSafeUrl(value) {
    try {
      const url = new URL(value, location.href);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch (_) {
      return false;
    }
  }

  function renderChips(actions) {
    const container = el('div', 'chips');
    for (const action of actions) {
      if (!action || typeof action !== 'object') continue;
      const label = action.title || actionText(action);
      if (!label) continue;

      if (action.type === 'openUrl') {
        if (typeof action.value !== 'string' || !isSafeUrl(action.value)) continue;
        const link = el('a', 'chip', label);
        link.href = action.value;
        link.target = '_blank';
        link.rel = 'noopener noreferrer';
        container.appendChild(link);
        continue;
      }

      const text = actionText(action);
      if (!text) continue;
      const button = el('button', 'chip', label);
      button.type = 'button';
      // Sending re-renders the list; the new customer bubble is now last, so the chips disappear.
      button.addEventListener('click', () => sendText(text));
      container.appendChild(button);
    }
    return container.childElementCount > 0 ? container : null;
  }

  function renderPending(msg) {
    const row = el('div', `msg msg-user msg-pending msg-${msg.status}`);
    row.dataset.clientId = msg.clientId;
    const bubble = el('div', 'msg-bubble');
    bubble.appendChild(el('div', 'msg-text', msg.text));
    row.appendChild(bubble);

    if (msg.status === 'failed') {
      const bar = el('div', 'msg-failed-bar');
      bar.appendChild(el('span', 'msg-failed-note', msg.failure === 'session' ? TEXT.sessionLost : TEXT.sendFailed));
      const retry = el('button', 'msg-retry', TEXT.retry);
      retry.type = 'button';
      retry.addEventListener('click', () => retryMessage(msg));
      bar.appendChild(retry);
      row.appendChild(bar);
    } else if (msg.status === 'rejected') {
      row.appendChild(el('div', 'msg-error', msg.error || TEXT.badRequest));
    }
    return row;
  }

  function renderTyping() {
    const node = el('div', 'typing');
    node.setAttribute('aria-label', TEXT.typing);
    const dots = el('span', 'typing-dots');
    dots.setAttribute('aria-hidden', 'true');
    dots.append(el('i'), el('i'), el('i'));
    node.append(dots, el('span', 'typing-label', TEXT.typing));
    return node;
  }

  /* ------------------------------------------------------------------ */
  /* Input                                                               */
  /* ------------------------------------------------------------------ */

  function autosizeInput() {
    const input = els.input;
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight + 2, 140)}px`;
  }

  // The longest placeholder that fits on one line of the box as it is now laid out.
  function fitPlaceholder() {
    const input = els.input;
    const style = getComputedStyle(input);
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const context = document.createElement('canvas').getContext('2d');
    if (!context || !(room > 0)) return;
    context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const candidates = TEXT.placeholders;
    const fitting = candidates.find((text) => context.measureText(text).width <= room) || candidates[candidates.length - 1];
    if (input.placeholder !== fitting) input.placeholder = fitting;
  }

  /* Restart: the history stays until the customer confirms. */

  function hasSomethingToLose() {
    return state.outbox.length > 0 || state.transcript.some((a) => isMessage(a) && roleOf(a) === 'user');
  }

  function askRestart() {
    if (!hasSomethingToLose()) {
      restartConversation();
      els.input.focus();
      return;
    }
    els.confirm.hidden = false;
    els.restart.setAttribute('aria-expanded', 'true');
    els.confirmCancel.focus();
  }

  function closeRestartConfirm({ focus = true } = {}) {
    if (els.confirm.hidden) return;
    els.confirm.hidden = true;
    els.restart.setAttribute('aria-expanded', 'false');
    if (focus) els.restart.focus();
  }

  function submitInput() {
    const text = els.input.value;
    if (!text.trim()) return;
    els.input.value = '';
    autosizeInput();
    sendText(text);
    els.input.focus();
  }

  function bindUi() {
    els.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      submitInput();
    });

    els.input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey) return;
      // Enter while a Chinese IME is composing confirms the pinyin; it must not send.
      if (event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      submitInput();
    });

    els.input.addEventListener('input', autosizeInput);

    els.restart.addEventListener('click', () => {
      if (els.confirm.hidden) askRestart();
      else closeRestartConfirm();
    });
    els.confirmCancel.addEventListener('click', () => closeRestartConfirm());
    els.confirmOk.addEventListener('click', () => {
      closeRestartConfirm({ focus: false });
      restartConversation();
      els.input.focus();
    });
    els.confirm.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') closeRestartConfirm();
    });

    window.addEventListener('online', () => {
      reconnectNow();
      retryFailed();
    });
    window.addEventListener('resize', fitPlaceholder);
    // Measured again once the page's fonts are in: a fallback font has other widths.
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(fitPlaceholder, () => undefined);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') reconnectNow();
    });
  }

  /* ------------------------------------------------------------------ */
  /* Start-up                                                            */
  /* ------------------------------------------------------------------ */

  async function boot() {
    bindUi();
    fitPlaceholder();
    updateStatus();
    renderHeader();

    const stored = loadStoredSession();
    if (!stored) {
      ensureSession();
      return;
    }

    // Reload: show the existing conversation instead of starting over.
    state.session = stored;
    const epoch = state.epoch;
    let result = null;
    try {
      result = await fetchHistory(stored);
    } catch (_) {
      /* offline: the stream reconnect loop fetches history once it connects */
    }
    if (epoch !== state.epoch) return;

    if (result && result.gone) {
      renewConversation();
      return;
    }
    if (result && result.ok) {
      state.acks = loadStoredAcks(stored.conversationId);
      state.transcript = result.activities.slice();
      applyHandoff(result.handoff);
      render({ forceScroll: true });
    }
    connectStream();
  }

  boot();
})();
