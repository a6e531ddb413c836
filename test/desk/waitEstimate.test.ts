import {
  DEFAULT_WAIT_POLICY,
  estimateWait,
  handleMinutes,
  median,
  roundWaitMinutes,
  type WaitEstimate,
  type WaitInputs,
} from '../../desk/waitEstimate';

const minutes = (...values: number[]): number[] => values.map((m) => m * 60);

describe('the wait a customer is told', () => {
  const cases: { name: string; inputs: WaitInputs; expected: WaitEstimate }[] = [
    {
      name: 'nobody ahead, an agent with room: shortly, never "0 ahead, 6 minutes"',
      inputs: { ahead: 0, agentsOnline: 2, agentsWithRoom: 1, handlingSeconds: minutes(8, 8, 8) },
      expected: { kind: 'shortly' },
    },
    {
      name: '3 ahead, 2 agents, recent chats took 4, 8, 8, 9, 30 minutes: 3 × 8 ÷ 2 = 12 → about 15',
      inputs: { ahead: 3, agentsOnline: 2, agentsWithRoom: 0, handlingSeconds: minutes(8, 30, 4, 9, 8) },
      expected: { kind: 'minutes', ahead: 3, minutes: 15 },
    },
    {
      name: '1 ahead, 2 agents, chats of 5 minutes: 2.5 → 3',
      inputs: { ahead: 1, agentsOnline: 2, agentsWithRoom: 2, handlingSeconds: minutes(5, 5, 5) },
      expected: { kind: 'minutes', ahead: 1, minutes: 3 },
    },
    {
      name: 'no history: the default of 6 minutes a chat (2 ahead, 1 agent → 12 → 15)',
      inputs: { ahead: 2, agentsOnline: 1, agentsWithRoom: 1, handlingSeconds: [] },
      expected: { kind: 'minutes', ahead: 2, minutes: 15 },
    },
    {
      name: 'too little history (2 chats) is not trusted: the default',
      inputs: { ahead: 1, agentsOnline: 1, agentsWithRoom: 1, handlingSeconds: minutes(40, 40) },
      expected: { kind: 'minutes', ahead: 1, minutes: 6 },
    },
    {
      name: 'no agents online: busy, no minutes (even with nobody ahead)',
      inputs: { ahead: 0, agentsOnline: 0, agentsWithRoom: 0, handlingSeconds: minutes(8, 8, 8) },
      expected: { kind: 'noAgents', ahead: 0 },
    },
    {
      name: 'no agents online with people ahead: busy, with how many are ahead',
      inputs: { ahead: 4, agentsOnline: 0, agentsWithRoom: 0, handlingSeconds: [] },
      expected: { kind: 'noAgents', ahead: 4 },
    },
    {
      name: 'nobody ahead but every agent busy: one chat has to end first (8 ÷ 2 = 4)',
      inputs: { ahead: 0, agentsOnline: 2, agentsWithRoom: 0, handlingSeconds: minutes(8, 8, 8) },
      expected: { kind: 'minutes', ahead: 0, minutes: 4 },
    },
    {
      name: 'beyond an hour: "more than 60 minutes", not a made-up figure',
      inputs: { ahead: 12, agentsOnline: 1, agentsWithRoom: 0, handlingSeconds: minutes(10, 10, 10) },
      expected: { kind: 'long', ahead: 12, minutes: 60 },
    },
    {
      name: 'exactly an hour is still promised',
      inputs: { ahead: 6, agentsOnline: 1, agentsWithRoom: 0, handlingSeconds: minutes(10, 10, 10) },
      expected: { kind: 'minutes', ahead: 6, minutes: 60 },
    },
  ];
  it.each(cases)('$name', ({ inputs, expected }) => {
    expect(estimateWait(inputs)).toEqual(expected);
  });

  it('rounds up to figures a person would say', () => {
    const table: [number, number][] = [
      [0, 1],
      [0.2, 1],
      [2.5, 3],
      [10, 10],
      [10.1, 15],
      [12, 15],
      [26, 30],
      [31, 40],
      [55, 60],
    ];
    expect(table.map(([raw]) => roundWaitMinutes(raw))).toEqual(table.map(([, rounded]) => rounded));
  });

  it('the median of the history, ignoring what is not a duration', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(handleMinutes(minutes(2, 4, 100), DEFAULT_WAIT_POLICY)).toBe(4);
    expect(handleMinutes([0, -5, Number.NaN, 600], DEFAULT_WAIT_POLICY)).toBe(DEFAULT_WAIT_POLICY.defaultHandleMinutes);
  });
});
