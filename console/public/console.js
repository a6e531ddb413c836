// @ts-check
'use strict';

/*
 * 客服工作台 — the agents' console.
 *
 * Plain browser script, no build step, nothing from a CDN; the page's
 * Content-Security-Policy allows only this file and console.css.
 *
 * Every piece of text that comes from the server (customers' words above
 * all) is put into the page with textContent or as a text node: the DOM is
 * built with createElement only, never parsed from HTML strings.
 *
 * Live updates come over Server-Sent Events (/api/console/events):
 *   queue   → the waiting queue changed: fetch it again;
 *   message → a new transcript entry in one of my chats: append it;
 *   chat    → one of my chats changed state: fetch my chats again.
 * Each time the event stream (re)opens, the queue, my chats and the open
 * transcript are fetched again, so nothing sent while it was down is missed.
 */
(function () {
  const API = '/api/console';

  const QUICK_REPLIES = [
    '您好，我是售后客服，请问有什么可以帮您？',
    '请稍等，我帮您查一下。',
    '麻烦提供一下设备的序列号。',
    '感谢您的耐心等待。',
    '还有其他问题吗？',
  ];

  const CHANNELS = {
    web: '网页',
    wechat: '微信',
    taobao: '淘宝',
    emulator: '模拟器',
    webchat: '网页（Bot Framework）',
    directline: 'Direct Line',
    msteams: 'Teams',
  };

  const REASONS = {
    asked: '客户要求转人工',
    misunderstood: '机器人未能理解',
    troubleshootFailed: '远程排查未解决',
    complaint: '投诉',
    safety: '安全隐患',
  };

  const INTENTS = {
    greeting: '问候',
    faq: '咨询',
    troubleshoot: '故障排查',
    fault_report: '报修',
    warranty: '保修查询',
    appointment: '预约',
    ticket_status: '工单进度',
    complaint: '投诉',
    rating: '评价',
    human: '转人工',
    other: '其他',
  };

  const SPEAKERS = { user: '客户', bot: '机器人', agent: '客服', system: '系统' };

  const ROLES = { agent: '客服', manager: '主管', admin: '管理员' };

  const TICKET_STATUSES = {
    new: '新建',
    accepted: '已受理',
    dispatched: '已派单',
    inRepair: '维修中',
    completed: '已完成',
    closed: '已关闭',
    cancelled: '已取消',
  };
  // The ticket state machine (docs/architecture.md §5); the server checks it again.
  const NEXT_STATUS = { new: 'accepted', accepted: 'dispatched', dispatched: 'inRepair', inRepair: 'completed', completed: 'closed' };
  const OPEN_STATUSES = new Set(['new', 'accepted', 'dispatched', 'inRepair']);

  const SERVICE_MODES = { carryIn: '送修', mailIn: '寄修', onsite: '上门维修' };

  const CLAIM_ERRORS = {
    AlreadyTaken: '已被其他客服接入',
    AtCapacity: '您同时接待的会话已达上限，请先结束或交还一个会话',
    NotWaiting: '这位客户已不在等待队列中',
  };

  const CHAT_ENDED = {
    bot: '会话已交还机器人',
    closed: '会话已结束',
    waiting: '会话已回到等待队列',
  };

  const KEPT_NOTE = '客户暂时收不到（微信48小时内最多5条），客户下次发消息时会补发';

  const QUEUE_POLL_MS = 30000;
  const SECURITY_POLL_MS = 60000;
  const NOTICE_MS = 8000;
  const EVENTS_RETRY_MS = 3000;
  const NEAR_BOTTOM_PX = 80;
  const LIVE_KEPT = 200;
  const SEND_RETRIES = 2;

  /**
   * The page's element with this id. Typed as the union of what the markup uses ids for (inputs, forms,
   * buttons, dialogs), so the checker sees their fields; the console's own markup decides which it is.
   * @param {string} id
   * @returns {HTMLInputElement & HTMLFormElement & HTMLButtonElement & HTMLDialogElement}
   */
  const $ = (id) => /** @type {HTMLInputElement & HTMLFormElement & HTMLButtonElement & HTMLDialogElement} */ (document.getElementById(id));
  const els = {
    loading: $('loading'),
    loginView: $('login-view'),
    loginForm: $('login-form'),
    loginUsername: $('login-username'),
    loginPassword: $('login-password'),
    loginError: $('login-error'),
    loginSubmit: $('login-submit'),
    appView: $('app-view'),
    connection: $('connection'),
    userName: $('user-name'),
    userRole: $('user-role'),
    adminPanel: $('admin-panel'),
    adminBody: $('admin-body'),
    logout: $('logout'),
    notice: $('notice'),
    loginAttacks: $('login-attacks'),
    securityEvents: $('security-events'),
    securityCount: $('security-count'),
    securityEmpty: $('security-empty'),
    queue: $('queue'),
    queueCount: $('queue-count'),
    queueEmpty: $('queue-empty'),
    chats: $('my-chats'),
    chatsCount: $('chats-count'),
    chatsEmpty: $('chats-empty'),
    placeholder: $('chat-placeholder'),
    chatView: $('chat-view'),
    chatTitle: $('chat-title'),
    chatMeta: $('chat-meta'),
    chatSummary: $('chat-summary'),
    chatEnded: $('chat-ended'),
    handback: $('handback'),
    closeChat: $('close-chat'),
    transcript: $('transcript'),
    quickReplies: $('quick-replies'),
    composer: $('composer'),
    input: $('message-input'),
    send: $('send'),
    ticketList: $('ticket-list'),
    ticketsEmpty: $('tickets-empty'),
    ticketCreate: $('ticket-create'),
    ticketForm: $('ticket-form'),
    ticketFormError: $('ticket-form-error'),
    ticketMode: $('ticket-mode'),
    ticketAddress: $('ticket-address'),
  };

  /** Queue rows → the queue entry each shows, for the ticking wait times. */
  const queueItems = new WeakMap();

  const state = {
    user: null,
    csrfToken: '',
    signedIn: false,
    queue: [],
    queueFetchedAt: 0, // performance.now() when the queue was fetched; wait times tick from it
    queueLoading: false,
    queueDirty: false,
    chats: [],
    chatsSeq: 0,
    selectedId: null,
    selectedEnded: false,
    stores: new Map(), // conversationId → { entries, ids, loading, unread }
    notes: new Map(), // transcript entry id → delivery { status, reason }
    tickets: [],
    ticketsSeq: 0,
    sending: false,
    busy: false, // hand-back / close in flight
    events: null,
    eventsTimer: null,
    eventsUp: false,
    tickTimer: null,
    pollTimer: null,
    securityTimer: null,
    noticeTimer: null,
  };

  /* ------------------------------------------------------------------ */
  /* DOM helpers: text only                                              */
  /* ------------------------------------------------------------------ */

  /**
   * Creates an element. props: class, text (textContent), testid (data-testid),
   * data (dataset), on<event> (listener), anything else as an attribute value.
   * Children are nodes or strings (strings become text nodes, never markup).
   */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'class') node.className = value;
        else if (key === 'text') node.textContent = String(value);
        else if (key === 'testid') node.setAttribute('data-testid', value);
        else if (key === 'data') Object.assign(node.dataset, value);
        else if (key.startsWith('on') && typeof value === 'function') node.addEventListener(key.slice(2), value);
        else node.setAttribute(key, value === true ? '' : String(value));
      }
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function show(node, visible) {
    node.hidden = !visible;
  }

  function isText(value) {
    return typeof value === 'string' && value.trim() !== '';
  }

  function channelName(channel) {
    return CHANNELS[channel] || (isText(channel) ? channel : '未知渠道');
  }

  function shortId(id) {
    const text = String(id || '');
    return text.length > 8 ? text.slice(-8) : text;
  }

  /** A summary field the server may send as text or as a small object. */
  function describe(value) {
    if (value === undefined || value === null || value === '') return '';
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (Array.isArray(value)) return value.map(describe).filter(Boolean).join('、');
    if (typeof value === 'object') {
      for (const key of ['label', 'text', 'statusName', 'name', 'summary', 'description']) {
        if (isText(value[key])) return value[key];
      }
      return Object.entries(value)
        .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
        .map(([k, v]) => `${k}: ${v}`)
        .join('，');
    }
    return '';
  }

  function formatWait(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    const hours = Math.floor(s / 3600);
    const minutes = Math.floor((s % 3600) / 60);
    const rest = s % 60;
    if (hours > 0) return `等待 ${hours} 小时 ${minutes} 分`;
    if (minutes > 0) return `等待 ${minutes} 分 ${rest} 秒`;
    return `等待 ${rest} 秒`;
  }

  function formatTime(value) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return '';
    const now = new Date();
    const sameDay = date.toDateString() === now.toDateString();
    const time = date.toLocaleTimeString('zh-CN', { hour12: false });
    return sameDay ? time : `${date.toLocaleDateString('zh-CN')} ${time}`;
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // crypto.randomUUID exists only in secure contexts (https, localhost); plain-http intranets get the fallback.
  function newClientId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const bytes = window.crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function retryAfterMinutes(headers) {
    const raw = headers && headers.get('Retry-After');
    if (!raw) return 1;
    let seconds = Number(raw);
    if (!Number.isFinite(seconds)) {
      const at = Date.parse(raw);
      seconds = Number.isNaN(at) ? 60 : (at - Date.now()) / 1000;
    }
    return Math.max(1, Math.ceil(seconds / 60));
  }

  /* ------------------------------------------------------------------ */
  /* HTTP                                                                */
  /* ------------------------------------------------------------------ */

  /** Resolves with { status, data, headers }; status 0 = no answer (network). */
  async function request(method, path, body) {
    const headers = { Accept: 'application/json' };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      if (state.csrfToken) headers['X-CSRF-Token'] = state.csrfToken;
    }
    let res;
    try {
      res = await fetch(API + path, {
        method,
        headers,
        body: method === 'GET' ? undefined : JSON.stringify(body === undefined ? {} : body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (_) {
      return { status: 0, data: null, headers: null };
    }
    let data = null;
    if (res.status !== 204) {
      try {
        data = await res.json();
      } catch (_) {
        /* empty or not JSON */
      }
    }
    return { status: res.status, data, headers: res.headers };
  }

  /**
   * A call made while signed in: 401 means the session is gone (back to the
   * login form); a refused CSRF token is fetched again once and the call retried.
   */
  async function call(method, path, body) {
    let res = await request(method, path, body);
    if (res.status === 403 && method !== 'GET' && looksLikeCsrf(res.data)) {
      const me = await request('GET', '/me');
      if (me.status === 200 && me.data && isText(me.data.csrfToken)) {
        state.csrfToken = me.data.csrfToken;
        res = await request(method, path, body);
      }
    }
    if (res.status === 401 && state.signedIn) {
      signedOut('登录已过期，请重新登录');
    }
    return res;
  }

  function looksLikeCsrf(data) {
    const code = data && typeof data.code === 'string' ? data.code : '';
    const message = data && typeof data.message === 'string' ? data.message : '';
    return /csrf/i.test(code) || /csrf/i.test(message);
  }

  function errorText(res, fallback) {
    if (res.status === 0) return '无法连接服务器，请检查网络后重试';
    if (res.data && isText(res.data.message)) return res.data.message;
    return fallback || `操作失败（HTTP ${res.status}）`;
  }

  function chatPath(conversationId, suffix) {
    return `/chats/${encodeURIComponent(conversationId)}${suffix ? `/${suffix}` : ''}`;
  }

  /* ------------------------------------------------------------------ */
  /* Accounts (admins only)                                              */
  /* ------------------------------------------------------------------ */

  // Built only for admins, so that nobody else's page holds an account form at all.
  const admin = { list: null, form: null, error: null };

  function buildAdminPanel() {
    if (admin.form) return;
    admin.list = h('ul', { class: 'user-list', testid: 'user-list' });
    admin.error = h('p', { class: 'form-error', role: 'alert', testid: 'user-form-error', hidden: true });
    const roleSelect = h(
      'select',
      { name: 'role', testid: 'user-role-select' },
      h('option', { value: 'agent', text: ROLES.agent }),
      h('option', { value: 'manager', text: ROLES.manager }),
      h('option', { value: 'admin', text: ROLES.admin }),
    );
    admin.form = h(
      'form',
      { class: 'user-form', testid: 'user-form', novalidate: true, onsubmit: createUser },
      h('label', {}, '账号名 ', h('input', { name: 'username', autocomplete: 'off', required: true, testid: 'user-username' })),
      h('label', {}, '显示名 ', h('input', { name: 'displayName', autocomplete: 'off', testid: 'user-display' })),
      h('label', {}, '角色 ', roleSelect),
      h(
        'label',
        {},
        '初始口令（至少 10 位） ',
        h('input', { name: 'password', type: 'password', autocomplete: 'new-password', required: true, testid: 'user-password' }),
      ),
      admin.error,
      h('button', { type: 'submit', class: 'button', testid: 'user-create-button', text: '添加账号' }),
    );
    els.adminBody.replaceChildren(admin.list, admin.form);
  }

  async function refreshUsers() {
    buildAdminPanel();
    const res = await call('GET', '/users');
    if (res.status !== 200 || !res.data || !Array.isArray(res.data.users)) return;
    admin.list.replaceChildren(
      ...res.data.users.map((user) =>
        h(
          'li',
          { testid: 'user-item' },
          h('span', { text: user.displayName || user.username }),
          ' ',
          h('span', { class: 'muted', text: `${user.username} · ${ROLES[user.role] || user.role}` }),
        ),
      ),
    );
  }

  async function createUser(event) {
    event.preventDefault();
    const form = new FormData(admin.form);
    const body = {
      username: String(form.get('username') || '').trim(),
      displayName: String(form.get('displayName') || '').trim() || undefined,
      role: String(form.get('role') || 'agent'),
      password: String(form.get('password') || ''),
    };
    const res = await call('POST', '/users', body);
    if (res.status === 201) {
      show(admin.error, false);
      admin.form.reset();
      notify(`已添加账号 ${body.username}`, 'info');
      refreshUsers();
      return;
    }
    admin.error.textContent = errorText(res, '添加失败，请检查后重试（口令至少 10 位）');
    show(admin.error, true);
  }

  /* ------------------------------------------------------------------ */
  /* Security: failed sign-ins on my account, locks for every agent      */
  /* ------------------------------------------------------------------ */

  /** "您的账号在 … 有 N 次登录失败（来自 …）": failed sign-ins since my last one, from the server. */
  function showFailedLogins(failed) {
    const valid = failed && Number.isInteger(failed.count) && failed.count > 0 && isText(failed.firstAt) && isText(failed.lastAt);
    if (!valid) {
      els.loginAttacks.textContent = '';
      show(els.loginAttacks, false);
      return;
    }
    const first = formatTime(failed.firstAt);
    const last = formatTime(failed.lastAt);
    const when = first === last ? first : `${first} 至 ${last}`;
    const addresses = Array.isArray(failed.addresses) ? failed.addresses.filter(isText) : [];
    const from = addresses.length ? `（来自 ${addresses.join('、')}）` : '';
    els.loginAttacks.textContent = `您的账号在 ${when} 有 ${failed.count} 次登录失败${from}。如果不是您本人，请告知管理员。`;
    show(els.loginAttacks, true);
  }

  async function refreshSecurityEvents() {
    const res = await call('GET', '/security-events');
    if (res.status !== 200 || !res.data || !Array.isArray(res.data.events)) return;
    const events = res.data.events.filter((event) => event && isText(event.text));
    els.securityEvents.replaceChildren(
      ...events.map((event) =>
        h(
          'li',
          { class: 'security-event', testid: 'security-event', data: { kind: isText(event.kind) ? event.kind : '' } },
          h('span', { class: 'security-label', text: isText(event.label) ? event.label : '' }),
          ' ',
          h('span', { class: 'muted', text: formatTime(event.at) }),
          h('p', { class: 'security-text', text: event.text }),
        ),
      ),
    );
    els.securityCount.textContent = String(events.length);
    show(els.securityEmpty, events.length === 0);
  }

  /* ------------------------------------------------------------------ */
  /* Notices                                                             */
  /* ------------------------------------------------------------------ */

  function notify(text, kind) {
    clearTimeout(state.noticeTimer);
    els.notice.textContent = text;
    els.notice.dataset.kind = kind || 'info';
    show(els.notice, true);
    state.noticeTimer = setTimeout(() => show(els.notice, false), NOTICE_MS);
  }

  /* ------------------------------------------------------------------ */
  /* Signing in and out                                                  */
  /* ------------------------------------------------------------------ */

  function showLogin(message) {
    show(els.loading, false);
    show(els.appView, false);
    show(els.loginView, true);
    els.loginError.textContent = message || '';
    show(els.loginError, Boolean(message));
    els.loginSubmit.disabled = false;
    els.loginPassword.value = '';
    (els.loginUsername.value ? els.loginPassword : els.loginUsername).focus();
  }

  async function submitLogin(event) {
    event.preventDefault();
    const username = els.loginUsername.value.trim();
    const password = els.loginPassword.value;
    if (!username || !password) {
      els.loginError.textContent = '请输入用户名和密码';
      show(els.loginError, true);
      return;
    }
    els.loginSubmit.disabled = true;
    show(els.loginError, false);
    const res = await request('POST', '/login', { username, password });
    els.loginSubmit.disabled = false;
    if (res.status === 200 && res.data && res.data.user) {
      els.loginPassword.value = '';
      signedIn(res.data.user, res.data.csrfToken, res.data.failedLogins);
      return;
    }
    let message;
    if (res.status === 401) message = '用户名或密码错误';
    else if (res.status === 429) message = `尝试次数过多，请 ${retryAfterMinutes(res.headers)} 分钟后再试`;
    else if (res.status === 400) message = errorText(res, '请输入用户名和密码');
    else message = errorText(res, '登录失败，请稍后再试');
    els.loginError.textContent = message;
    show(els.loginError, true);
    els.loginPassword.value = '';
    els.loginPassword.focus();
  }

  function signedIn(user, csrfToken, failedLogins) {
    state.user = user;
    state.csrfToken = isText(csrfToken) ? csrfToken : '';
    state.signedIn = true;
    els.userName.textContent = isText(user.displayName) ? user.displayName : user.username || '';
    els.userRole.textContent = ROLES[user.role] || '';
    show(els.userRole, Boolean(ROLES[user.role]));
    show(els.adminPanel, user.role === 'admin');
    if (user.role === 'admin') refreshUsers();
    showFailedLogins(failedLogins);
    show(els.loading, false);
    show(els.loginView, false);
    show(els.appView, true);
    renderQueue();
    renderChats();
    showChatView(false);

    connectEvents();
    refreshQueue();
    refreshChats().then(() => {
      const fromHash = chatIdFromHash();
      if (fromHash && !state.selectedId && state.chats.some((c) => c.conversationId === fromHash)) openChat(fromHash);
    });
    state.tickTimer = setInterval(tick, 1000);
    state.pollTimer = setInterval(refreshQueue, QUEUE_POLL_MS);
    refreshSecurityEvents();
    state.securityTimer = setInterval(refreshSecurityEvents, SECURITY_POLL_MS);
  }

  /** Tears the console down and shows the login form (logout, or the session ran out). */
  function signedOut(message) {
    state.signedIn = false;
    state.user = null;
    state.csrfToken = '';
    closeEvents();
    clearInterval(state.tickTimer);
    clearInterval(state.pollTimer);
    clearInterval(state.securityTimer);
    showFailedLogins(null);
    els.securityEvents.replaceChildren();
    state.queue = [];
    state.chats = [];
    state.stores.clear();
    state.notes.clear();
    state.tickets = [];
    state.selectedId = null;
    els.queue.replaceChildren();
    els.chats.replaceChildren();
    els.transcript.replaceChildren();
    els.ticketList.replaceChildren();
    show(els.notice, false);
    setHash(null);
    showLogin(message);
  }

  async function logout() {
    els.logout.disabled = true;
    await request('POST', '/logout', {});
    els.logout.disabled = false;
    signedOut('');
  }

  /* ------------------------------------------------------------------ */
  /* Live events                                                         */
  /* ------------------------------------------------------------------ */

  function setConnection(up) {
    state.eventsUp = up;
    els.connection.textContent = up ? '' : '实时连接已断开，正在重连…';
    els.connection.dataset.state = up ? 'up' : 'down';
  }

  function connectEvents() {
    closeEvents();
    if (!state.signedIn || typeof EventSource !== 'function') return;
    const source = new EventSource(`${API}/events`);
    state.events = source;

    source.addEventListener('open', () => {
      if (state.events !== source) return;
      setConnection(true);
      resync();
    });
    source.addEventListener('queue', (event) => {
      if (state.events !== source) return;
      refreshQueue();
      let data = {};
      try {
        data = JSON.parse(event.data);
      } catch (error) {
        data = {};
      }
      // The server re-alerts a chat that waits too long, and safety cases at once.
      if (data && data.alert) notify('有客户等待较久或涉及安全隐患，请尽快接入', 'warn');
    });
    source.addEventListener('message', (event) => {
      if (state.events === source) onMessageEvent(event.data);
    });
    source.addEventListener('chat', (event) => {
      if (state.events === source) onChatEvent(event.data);
    });
    source.addEventListener('error', () => {
      if (state.events !== source) return;
      setConnection(false);
      // EventSource retries by itself unless the server refused the stream
      // (e.g. 401 after the session ended): then check the session and reopen.
      if (source.readyState === EventSource.CLOSED) {
        state.events = null;
        clearTimeout(state.eventsTimer);
        state.eventsTimer = setTimeout(async () => {
          if (!state.signedIn) return;
          const me = await call('GET', '/me');
          if (me.status === 200 && state.signedIn) connectEvents();
          else if (me.status !== 401 && state.signedIn) {
            state.eventsTimer = setTimeout(connectEvents, EVENTS_RETRY_MS);
          }
        }, EVENTS_RETRY_MS);
      }
    });
  }

  function closeEvents() {
    clearTimeout(state.eventsTimer);
    state.eventsTimer = null;
    const source = state.events;
    state.events = null;
    if (source) source.close();
  }

  function parseEventData(raw) {
    try {
      const data = JSON.parse(raw);
      return data && typeof data === 'object' ? data : null;
    } catch (_) {
      return null;
    }
  }

  function onMessageEvent(raw) {
    const data = parseEventData(raw);
    if (!data || !isText(data.conversationId) || !data.entry || typeof data.entry !== 'object') return;
    const id = data.conversationId;
    const store = state.stores.get(id);
    if (store) addEntry(id, data.entry);
    if (id !== state.selectedId) {
      const target = store || storeOf(id);
      if (data.entry.speaker === 'user') target.unread++;
      if (!state.chats.some((c) => c.conversationId === id)) refreshChats();
      else renderChats();
    }
  }

  function onChatEvent(raw) {
    const data = parseEventData(raw);
    refreshChats();
    refreshQueue();
    if (!data || !isText(data.conversationId)) return;
    if (data.conversationId === state.selectedId && isText(data.state) && data.state !== 'withAgent') {
      markSelectedEnded(CHAT_ENDED[data.state] || '会话已不在您这里');
    }
  }

  /** After the event stream (re)opens: fetch what may have changed meanwhile. */
  function resync() {
    refreshQueue();
    refreshChats();
    if (state.selectedId && !state.selectedEnded) loadTranscript(state.selectedId);
  }

  /* ------------------------------------------------------------------ */
  /* Waiting queue                                                       */
  /* ------------------------------------------------------------------ */

  async function refreshQueue() {
    if (!state.signedIn) return;
    if (state.queueLoading) {
      state.queueDirty = true; // one more fetch after this one, for changes it may have missed
      return;
    }
    state.queueLoading = true;
    try {
      const res = await call('GET', '/queue');
      if (res.status === 200 && res.data && Array.isArray(res.data.waiting) && state.signedIn) {
        state.queue = res.data.waiting;
        state.queueFetchedAt = performance.now();
        renderQueue();
      }
    } finally {
      state.queueLoading = false;
    }
    if (state.queueDirty) {
      state.queueDirty = false;
      refreshQueue();
    }
  }

  function waitSecondsOf(item) {
    const base = Number(item.waitSeconds);
    if (Number.isFinite(base)) return base + (performance.now() - state.queueFetchedAt) / 1000;
    const since = Date.parse(item.waitingSince);
    return Number.isNaN(since) ? 0 : (Date.now() - since) / 1000;
  }

  function priorityBadge(item) {
    if (item.reason === 'safety')
      return h('span', { class: 'badge badge-safety', testid: 'queue-priority', title: REASONS.safety }, '安全');
    if (item.reason === 'complaint')
      return h('span', { class: 'badge badge-complaint', testid: 'queue-priority', title: REASONS.complaint }, '投诉');
    return null;
  }

  function renderQueue() {
    const items = state.queue.map(renderQueueItem);
    els.queue.replaceChildren(...items);
    els.queueCount.textContent = String(state.queue.length);
    show(els.queueEmpty, state.queue.length === 0);
  }

  function renderQueueItem(item) {
    const id = String(item.conversationId || '');
    const summary = item.summary && typeof item.summary === 'object' ? item.summary : {};
    const wait = h('span', { class: 'wait', testid: 'queue-wait' }, formatWait(waitSecondsOf(item)));
    const claim = h('button', { type: 'button', class: 'button button-primary', testid: 'claim-button' }, '接入');
    claim.setAttribute('aria-label', `接入${isText(summary.customerName) ? summary.customerName : '这位客户'}`);
    claim.addEventListener('click', () => claimChat(id, claim));

    const li = h(
      'li',
      { class: `queue-item reason-${String(item.reason || 'asked')}`, testid: 'queue-item', data: { conversationId: id } },
      h(
        'div',
        { class: 'queue-item-head' },
        priorityBadge(item),
        h('span', { class: 'channel', testid: 'queue-channel' }, channelName(item.channel)),
        wait,
        Number.isFinite(Number(item.position)) && item.position !== null
          ? h('span', { class: 'position', testid: 'queue-position' }, `第 ${item.position} 位`)
          : null,
      ),
      h('p', { class: 'queue-reason', testid: 'queue-reason' }, REASONS[item.reason] || describe(item.reason) || '转人工'),
      renderSummary(summary),
      h('div', { class: 'queue-item-actions' }, claim),
    );
    queueItems.set(li, item);
    return li;
  }

  /** The bot's summary of a conversation, as a definition list. */
  function renderSummary(summary) {
    const list = h('dl', { class: 'summary', testid: 'summary' });
    const add = (label, testid, value) => {
      if (value === null || value === undefined || value === '') return;
      list.append(h('dt', null, label), h('dd', { testid }, value));
    };
    const who = [summary.customerName, summary.phoneMasked].filter(isText).join(' ');
    add('客户', 'summary-customer', who);
    add('意图', 'summary-intent', INTENTS[summary.intent] || describe(summary.intent));
    add('产品', 'summary-product', describe(summary.product));
    add('保修', 'summary-warranty', describe(summary.warranty));
    add('工单', 'summary-ticket', describe(summary.ticketId));
    const steps = Array.isArray(summary.stepsTried) ? summary.stepsTried.filter(isText) : [];
    if (steps.length)
      add(
        '已尝试的步骤',
        'summary-steps',
        h(
          'ol',
          { class: 'steps' },
          steps.map((s) => h('li', null, s)),
        ),
      );
    const last = Array.isArray(summary.lastMessages) ? summary.lastMessages.filter(isText) : [];
    if (last.length) {
      add(
        '客户最近说的话',
        'summary-last-messages',
        h(
          'ul',
          { class: 'last-messages' },
          last.map((m) => h('li', null, m)),
        ),
      );
    }
    if (!list.firstChild) list.append(h('dd', { class: 'muted' }, '机器人没有留下摘要'));
    return list;
  }

  /** Every second: the wait times in the queue go on counting. */
  function tick() {
    const rows = els.queue.children;
    for (let i = 0; i < rows.length; i++) {
      const item = queueItems.get(rows[i]);
      const wait = rows[i].querySelector('.wait');
      if (item && wait) {
        const seconds = waitSecondsOf(item);
        wait.textContent = formatWait(seconds);
        wait.classList.toggle('wait-long', seconds >= 300);
      }
    }
  }

  async function claimChat(conversationId, button) {
    button.disabled = true;
    const res = await call('POST', chatPath(conversationId, 'claim'), {});
    if (!state.signedIn) return;
    if (res.status === 200) {
      state.queue = state.queue.filter((item) => item.conversationId !== conversationId);
      renderQueue();
      const chat = res.data && res.data.chat && typeof res.data.chat === 'object' ? res.data.chat : null;
      if (chat && !state.chats.some((c) => c.conversationId === conversationId)) {
        state.chats = state.chats.concat([{ conversationId, ...chat }]);
        renderChats();
      }
      openChat(conversationId);
      refreshChats();
      refreshQueue();
      return;
    }
    button.disabled = false;
    if (res.status === 409) {
      const code = res.data && res.data.code;
      notify(CLAIM_ERRORS[code] || errorText(res, '无法接入这个会话'), 'warn');
      refreshQueue();
      return;
    }
    if (res.status !== 401) notify(errorText(res, '接入失败，请稍后再试'), 'error');
  }

  /* ------------------------------------------------------------------ */
  /* My chats                                                            */
  /* ------------------------------------------------------------------ */

  async function refreshChats() {
    if (!state.signedIn) return;
    const seq = ++state.chatsSeq;
    const res = await call('GET', '/chats');
    if (seq !== state.chatsSeq || !state.signedIn) return;
    if (res.status === 200 && res.data && Array.isArray(res.data.chats)) {
      state.chats = res.data.chats;
      renderChats();
      // The open chat is no longer mine (handed back, closed, taken over elsewhere).
      if (state.selectedId && !state.selectedEnded && !state.chats.some((c) => c.conversationId === state.selectedId)) {
        markSelectedEnded('会话已不在您这里');
      } else if (state.selectedId) {
        renderChatHeader();
      }
    }
  }

  function chatOf(conversationId) {
    return state.chats.find((c) => c.conversationId === conversationId) || null;
  }

  function chatLabel(chat) {
    const summary = chat && chat.summary && typeof chat.summary === 'object' ? chat.summary : {};
    if (isText(summary.customerName)) return summary.customerName;
    return `客户 ${shortId(chat && chat.conversationId)}`;
  }

  function renderChats() {
    const items = state.chats.map((chat) => {
      const id = String(chat.conversationId || '');
      const summary = chat.summary && typeof chat.summary === 'object' ? chat.summary : {};
      const last = Array.isArray(summary.lastMessages) ? summary.lastMessages.filter(isText) : [];
      const store = state.stores.get(id);
      const unread = store && id !== state.selectedId ? store.unread : 0;
      const button = h(
        'button',
        { type: 'button', class: 'chat-link', testid: 'my-chat-item', data: { conversationId: id } },
        h(
          'span',
          { class: 'chat-link-head' },
          h('span', { class: 'chat-link-name' }, chatLabel(chat)),
          h('span', { class: 'channel' }, channelName(chat.channel)),
          unread > 0 ? h('span', { class: 'unread', testid: 'unread', 'aria-label': `${unread} 条新消息` }, String(unread)) : null,
        ),
        last.length ? h('span', { class: 'chat-link-preview' }, last[last.length - 1]) : null,
      );
      if (id === state.selectedId) button.setAttribute('aria-current', 'true');
      button.addEventListener('click', () => openChat(id));
      return h('li', null, button);
    });
    els.chats.replaceChildren(...items);
    els.chatsCount.textContent = String(state.chats.length);
    show(els.chatsEmpty, state.chats.length === 0);
  }

  /* ------------------------------------------------------------------ */
  /* Chat view                                                           */
  /* ------------------------------------------------------------------ */

  function storeOf(conversationId) {
    let store = state.stores.get(conversationId);
    if (!store) {
      // live: the last entries added as they happened (not from a fetch), for loadTranscript.
      store = { entries: [], ids: new Set(), live: [], liveSeq: 0, loadSeq: 0, unread: 0 };
      state.stores.set(conversationId, store);
    }
    return store;
  }

  function chatIdFromHash() {
    const match = /^#chat=(.+)$/.exec(location.hash);
    if (!match) return null;
    try {
      return decodeURIComponent(match[1]);
    } catch (_) {
      return null;
    }
  }

  function setHash(conversationId) {
    const hash = conversationId ? `#chat=${encodeURIComponent(conversationId)}` : '';
    if (location.hash !== hash) history.replaceState(null, '', `${location.pathname}${location.search}${hash}`);
  }

  function showChatView(visible) {
    show(els.chatView, visible);
    show(els.placeholder, !visible);
  }

  function openChat(conversationId) {
    state.selectedId = conversationId;
    state.selectedEnded = false;
    const store = storeOf(conversationId);
    store.unread = 0;
    setHash(conversationId);
    showChatView(true);
    show(els.chatEnded, false);
    setComposerEnabled(true);
    renderChatHeader();
    renderChats();
    renderTranscript();
    state.tickets = [];
    renderTickets();
    els.ticketForm.reset();
    show(els.ticketFormError, false);
    loadTranscript(conversationId);
    loadTickets(conversationId);
    els.input.focus();
  }

  function closeChatView() {
    state.selectedId = null;
    state.selectedEnded = false;
    setHash(null);
    showChatView(false);
    els.transcript.replaceChildren();
    renderChats();
  }

  function renderChatHeader() {
    const id = state.selectedId;
    if (!id) return;
    const chat = chatOf(id);
    els.chatTitle.textContent = chat ? chatLabel(chat) : `客户 ${shortId(id)}`;
    const meta = [];
    if (chat) {
      meta.push(channelName(chat.channel));
      if (chat.claimedAt) meta.push(`接入于 ${formatTime(chat.claimedAt)}`);
    }
    meta.push(`会话 ${id}`);
    els.chatMeta.textContent = meta.join(' · ');
    els.chatView.dataset.conversationId = id;
    const summary = chat && chat.summary && typeof chat.summary === 'object' ? chat.summary : null;
    els.chatSummary.replaceChildren(...(summary ? [renderSummary(summary)] : []));
    show(els.chatSummary, Boolean(summary));
  }

  function markSelectedEnded(text) {
    if (!state.selectedId) return;
    state.selectedEnded = true;
    els.chatEnded.textContent = `${text}，不能再回复。`;
    show(els.chatEnded, true);
    setComposerEnabled(false);
  }

  function setComposerEnabled(enabled) {
    els.input.disabled = !enabled;
    els.send.disabled = !enabled || state.sending;
    els.handback.disabled = !enabled || state.busy;
    els.closeChat.disabled = !enabled || state.busy;
    for (const button of els.quickReplies.querySelectorAll('button')) button.disabled = !enabled;
  }

  /**
   * Fetches a chat's whole transcript and shows it. Entries that arrived live
   * while the request was out are kept unless the answer already holds them
   * (live entries may carry another id than the record: the customer's message
   * id, or the id this page gave its own reply), and delivery notes move over
   * to the record's copy of the reply they belong to.
   */
  async function loadTranscript(conversationId) {
    const store = storeOf(conversationId);
    const load = ++store.loadSeq;
    const liveBefore = store.liveSeq;
    const res = await call('GET', chatPath(conversationId, 'transcript'));
    if (!state.signedIn || load !== store.loadSeq) return;
    if (res.status === 200 && res.data && Array.isArray(res.data.entries)) {
      const fetched = res.data.entries.filter((e) => e && typeof e === 'object');
      for (const old of store.entries) {
        const note = old.id ? state.notes.get(old.id) : null;
        const copy = note ? fetched.find((e) => sameEntry(e, old)) : null;
        if (copy && copy.id) state.notes.set(copy.id, note);
      }
      const extras = store.live
        .filter((live) => live.seq > liveBefore)
        .map((live) => live.entry)
        .filter((entry) => !fetched.some((e) => sameEntry(e, entry)));
      store.entries = fetched.concat(extras);
      store.ids = new Set(store.entries.map((e) => e.id).filter(Boolean));
      if (conversationId === state.selectedId) renderTranscript();
      return;
    }
    if (conversationId !== state.selectedId) return;
    if (res.status === 403 || res.status === 404) {
      closeChatView();
      notify(res.status === 403 ? '您没有接入这个会话，不能查看' : '找不到这个会话', 'warn');
      refreshChats();
    } else if (res.status !== 401) {
      notify(errorText(res, '聊天记录加载失败'), 'error');
    }
  }

  /** The same thing said: one id, or the same speaker and words within a minute. */
  function sameEntry(a, b) {
    if (a.id && b.id && a.id === b.id) return true;
    if (a.speaker !== b.speaker || a.text !== b.text) return false;
    const at = Date.parse(a.at);
    const bt = Date.parse(b.at);
    return Number.isNaN(at) || Number.isNaN(bt) || Math.abs(at - bt) <= 60000;
  }

  /** Adds one entry to a chat (deduplicated by id); appends it on screen when that chat is open. */
  function addEntry(conversationId, entry) {
    const store = storeOf(conversationId);
    if (entry.id && store.ids.has(entry.id)) return false;
    if (entry.id) store.ids.add(entry.id);
    store.entries.push(entry);
    store.live.push({ seq: ++store.liveSeq, entry });
    if (store.live.length > LIVE_KEPT) store.live.splice(0, store.live.length - LIVE_KEPT);
    if (conversationId === state.selectedId) {
      const stick = isNearBottom();
      els.transcript.append(renderEntry(entry));
      if (stick || entry.speaker === 'agent') scrollToBottom();
    }
    return true;
  }

  function isNearBottom() {
    const list = els.transcript;
    return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  function scrollToBottom() {
    els.transcript.scrollTop = els.transcript.scrollHeight;
  }

  function renderTranscript() {
    const store = state.selectedId ? storeOf(state.selectedId) : null;
    const entries = store ? store.entries : [];
    els.transcript.replaceChildren(...entries.map(renderEntry));
    scrollToBottom();
  }

  function renderEntry(entry) {
    const speaker = SPEAKERS[entry.speaker] ? entry.speaker : 'system';
    let label = SPEAKERS[speaker];
    if (speaker === 'agent' && isText(entry.by)) label = `${label} · ${entry.by}`;
    const item = h(
      'li',
      { class: `entry entry-${speaker}`, testid: 'transcript-entry', data: { speaker } },
      h(
        'div',
        { class: 'entry-head' },
        h('span', { class: 'entry-speaker', testid: 'entry-speaker' }, label),
        entry.at ? h('time', { class: 'entry-time', datetime: String(entry.at) }, formatTime(entry.at)) : null,
      ),
      h('div', { class: 'entry-text', testid: 'entry-text' }, typeof entry.text === 'string' ? entry.text : ''),
    );
    if (entry.id) item.dataset.entryId = String(entry.id);
    const note = entry.id ? state.notes.get(entry.id) : null;
    if (note) item.append(renderDeliveryNote(note));
    return item;
  }

  function renderDeliveryNote(delivery) {
    const failed = delivery.status === 'failed';
    const text = failed ? `发送失败：${isText(delivery.reason) ? delivery.reason : '未知原因'}` : KEPT_NOTE;
    return h('p', { class: `delivery-note delivery-${failed ? 'failed' : 'kept'}`, testid: 'delivery-note', role: 'status' }, text);
  }

  function showDeliveryNote(entryId, delivery) {
    state.notes.set(entryId, delivery);
    for (const node of /** @type {HTMLCollectionOf<HTMLElement>} */ (els.transcript.children)) {
      if (node.dataset.entryId !== String(entryId)) continue;
      const old = node.querySelector('.delivery-note');
      if (old) old.remove();
      node.append(renderDeliveryNote(delivery));
    }
  }

  /* ------------------------------------------------------------------ */
  /* Replying                                                            */
  /* ------------------------------------------------------------------ */

  async function sendReply() {
    const conversationId = state.selectedId;
    const text = els.input.value.trim();
    if (!conversationId || !text || state.sending || state.selectedEnded) return;
    state.sending = true;
    els.send.disabled = true;
    // One id for every attempt: the server answers a retried send like the first and sends it once.
    const body = { text, id: newClientId() };
    let res = await call('POST', chatPath(conversationId, 'messages'), body);
    for (let attempt = 1; attempt <= SEND_RETRIES && (res.status === 0 || res.status >= 500) && state.signedIn; attempt++) {
      await sleep(1000 * attempt);
      res = await call('POST', chatPath(conversationId, 'messages'), body);
    }
    state.sending = false;
    els.send.disabled = state.selectedEnded;
    if (!state.signedIn) return;
    if (res.status >= 200 && res.status < 300 && res.data) {
      if (els.input.value.trim() === text) els.input.value = '';
      const entry = res.data.entry && typeof res.data.entry === 'object' ? res.data.entry : null;
      const delivery = res.data.delivery && typeof res.data.delivery === 'object' ? res.data.delivery : null;
      if (entry) addEntry(conversationId, entry);
      if (entry && entry.id && delivery && (delivery.status === 'kept' || delivery.status === 'failed')) {
        showDeliveryNote(entry.id, delivery);
      }
      scrollToBottom();
      if (conversationId === state.selectedId) els.input.focus();
      return;
    }
    if (res.status === 401) return;
    if (res.status === 403 && conversationId === state.selectedId) {
      markSelectedEnded('会话已不在您这里');
      refreshChats();
    }
    notify(`发送失败：${errorText(res, '请稍后再试')}`, 'error');
  }

  function insertQuickReply(text) {
    const input = els.input;
    if (input.disabled) return;
    const current = input.value;
    input.value = current.trim() ? `${current.replace(/\s+$/, '')}\n${text}` : text;
    input.focus();
    input.setSelectionRange(input.value.length, input.value.length);
  }

  async function endChat(kind) {
    const conversationId = state.selectedId;
    if (!conversationId || state.busy) return;
    state.busy = true;
    setComposerEnabled(!state.selectedEnded);
    const res = await call('POST', chatPath(conversationId, kind === 'handback' ? 'handback' : 'close'), {});
    state.busy = false;
    if (!state.signedIn) return;
    if (res.status >= 200 && res.status < 300) {
      state.chats = state.chats.filter((c) => c.conversationId !== conversationId);
      state.stores.delete(conversationId);
      if (state.selectedId === conversationId) closeChatView();
      notify(kind === 'handback' ? '已交还机器人，机器人会请客户评价本次服务' : '会话已结束', 'info');
      refreshChats();
      refreshQueue();
      return;
    }
    setComposerEnabled(!state.selectedEnded);
    if (res.status !== 401) notify(errorText(res, kind === 'handback' ? '交还失败，请稍后再试' : '结束会话失败，请稍后再试'), 'error');
  }

  /* ------------------------------------------------------------------ */
  /* Tickets                                                             */
  /* ------------------------------------------------------------------ */

  async function loadTickets(conversationId) {
    const seq = ++state.ticketsSeq;
    const res = await call('GET', chatPath(conversationId, 'tickets'));
    if (seq !== state.ticketsSeq || conversationId !== state.selectedId) return;
    if (res.status === 200 && res.data && Array.isArray(res.data.tickets)) {
      state.tickets = res.data.tickets;
      renderTickets();
    }
  }

  function movesFrom(status) {
    const moves = [];
    if (NEXT_STATUS[status]) moves.push(NEXT_STATUS[status]);
    if (OPEN_STATUSES.has(status)) moves.push('cancelled');
    return moves;
  }

  function renderTickets() {
    els.ticketList.replaceChildren(...state.tickets.map(renderTicket));
    show(els.ticketsEmpty, state.tickets.length === 0);
  }

  function renderTicket(ticket) {
    const id = String(ticket.id || '');
    const statusName = isText(ticket.statusName) ? ticket.statusName : TICKET_STATUSES[ticket.status] || String(ticket.status || '');
    const who = [ticket.customerName, ticket.phoneMasked].filter(isText).join(' ');
    const item = h(
      'li',
      { class: 'ticket', testid: 'ticket-item', data: { ticketId: id, status: String(ticket.status || '') } },
      h(
        'div',
        { class: 'ticket-head' },
        h('strong', { class: 'ticket-id' }, id),
        h('span', { class: `ticket-status status-${ticket.status}`, testid: 'ticket-status' }, statusName),
      ),
      h(
        'div',
        { class: 'ticket-line' },
        [describe(ticket.product), SERVICE_MODES[ticket.serviceMode] || describe(ticket.serviceMode)].filter(Boolean).join(' · '),
      ),
      isText(ticket.symptom) ? h('div', { class: 'ticket-line' }, ticket.symptom) : null,
      who ? h('div', { class: 'ticket-line muted' }, who) : null,
      ticket.createdAt ? h('div', { class: 'ticket-line muted' }, `创建于 ${formatTime(ticket.createdAt)}`) : null,
    );

    const moves = movesFrom(ticket.status);
    if (moves.length === 0) return item;
    const selectId = `move-${id}`;
    const noteId = `move-note-${id}`;
    const select = h(
      'select',
      { id: selectId, testid: 'ticket-move-select' },
      moves.map((to) => h('option', { value: to }, TICKET_STATUSES[to] || to)),
    );
    const note = h('input', { id: noteId, type: 'text', maxlength: '200', testid: 'ticket-move-note' });
    const submit = h('button', { type: 'submit', class: 'button', testid: 'ticket-move-button' }, '更新');
    const form = h(
      'form',
      { class: 'ticket-move' },
      h('label', { for: selectId }, '变更为'),
      select,
      h('label', { for: noteId }, '备注'),
      note,
      submit,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      moveTicket(id, select.value, note.value.trim(), submit);
    });
    item.append(form);
    return item;
  }

  async function moveTicket(ticketId, to, note, button) {
    button.disabled = true;
    const body = note ? { to, note } : { to };
    const res = await call('POST', `/tickets/${encodeURIComponent(ticketId)}/moves`, body);
    button.disabled = false;
    if (!state.signedIn) return;
    if (res.status >= 200 && res.status < 300 && res.data && res.data.ticket) {
      const updated = res.data.ticket;
      state.tickets = state.tickets.map((t) => (t.id === ticketId ? { ...t, ...updated } : t));
      renderTickets();
      notify(`工单 ${ticketId} 已更新为“${TICKET_STATUSES[to] || to}”`, 'info');
    } else if (res.status !== 401) {
      notify(errorText(res, '工单状态没能更新'), res.status === 409 ? 'warn' : 'error');
    }
    if (state.selectedId) loadTickets(state.selectedId);
  }

  async function createTicket(event) {
    event.preventDefault();
    const conversationId = state.selectedId;
    if (!conversationId) return;
    const form = els.ticketForm;
    const value = (name) => String(/** @type {HTMLInputElement} */ (form.elements.namedItem(name)).value || '').trim();
    const body = {
      customerName: value('customerName'),
      phone: value('phone'),
      modelId: value('modelId'),
      symptom: value('symptom'),
      serviceMode: value('serviceMode'),
      area: value('area') === 'suburb' ? 'suburb' : 'city',
    };
    const address = value('address');
    if (address) body.address = address;
    const missing = [];
    if (!body.customerName) missing.push('客户姓名');
    if (!body.phone) missing.push('联系电话');
    if (!body.modelId) missing.push('产品型号');
    if (!body.symptom) missing.push('故障描述');
    if (body.serviceMode !== 'carryIn' && !address) missing.push('地址');
    let problem = missing.length ? `请填写：${missing.join('、')}` : '';
    if (!problem && !/^1[3-9]\d{9}$/.test(body.phone)) problem = '联系电话请填写 11 位手机号';
    if (problem) {
      els.ticketFormError.textContent = problem;
      show(els.ticketFormError, true);
      return;
    }
    show(els.ticketFormError, false);
    const submit = /** @type {HTMLButtonElement} */ (form.querySelector('button[type="submit"]'));
    submit.disabled = true;
    const res = await call('POST', chatPath(conversationId, 'tickets'), body);
    submit.disabled = false;
    if (!state.signedIn || conversationId !== state.selectedId) return;
    if (res.status >= 200 && res.status < 300 && res.data && res.data.ticket) {
      form.reset();
      els.ticketCreate.open = false;
      notify(`工单 ${res.data.ticket.id} 已创建`, 'info');
      loadTickets(conversationId);
      return;
    }
    if (res.status === 401) return;
    els.ticketFormError.textContent = errorText(res, '工单没能创建，请检查后再试');
    show(els.ticketFormError, true);
  }

  /* ------------------------------------------------------------------ */
  /* Start-up                                                            */
  /* ------------------------------------------------------------------ */

  function bindUi() {
    els.loginForm.addEventListener('submit', submitLogin);
    els.logout.addEventListener('click', logout);

    els.composer.addEventListener('submit', (event) => {
      event.preventDefault();
      sendReply();
    });
    els.input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey) return;
      // Enter while a Chinese IME is composing confirms the pinyin; it must not send.
      if (event.isComposing || event.keyCode === 229) return;
      event.preventDefault();
      sendReply();
    });

    els.quickReplies.replaceChildren(
      ...QUICK_REPLIES.map((text) => {
        const button = h('button', { type: 'button', class: 'quick-reply', testid: 'quick-reply', title: '填入回复框' }, text);
        button.addEventListener('click', () => insertQuickReply(text));
        return button;
      }),
    );

    els.handback.addEventListener('click', () => endChat('handback'));
    els.closeChat.addEventListener('click', () => endChat('close'));

    els.ticketForm.addEventListener('submit', createTicket);
    const syncAddress = () => {
      // Carry-in needs no address; an engineer's visit and a mail-in do.
      els.ticketAddress.required = els.ticketMode.value !== 'carryIn';
    };
    els.ticketMode.addEventListener('change', syncAddress);
    els.ticketForm.addEventListener('reset', () => setTimeout(syncAddress, 0));
    syncAddress();

    window.addEventListener('online', () => {
      if (state.signedIn && !state.events) connectEvents();
    });
  }

  async function boot() {
    bindUi();
    const res = await request('GET', '/me');
    if (res.status === 200 && res.data && res.data.user) {
      signedIn(res.data.user, res.data.csrfToken, res.data.failedLogins);
    } else if (res.status === 401 || res.status === 404 || res.status === 403) {
      showLogin('');
    } else {
      showLogin(res.status === 0 ? '无法连接服务器，请稍后刷新页面' : '');
    }
  }

  boot();
})();
