import { parseStory, StoryFileError } from '../../scripts/stories/storyFile';

describe('story files', () => {
  test('a story reads as the customer does: typed text, buttons, picks, facts and checks', () => {
    const story = parseStory(
      [
        'name: 查工单',
        'setup:',
        '  tickets:',
        '    - { ref: t1, model: X30, phone: 13612348888, name: 赵女士, fault: 听筒没声音 }',
        'turns:',
        '  - 查下工单 $t1',
        '  - text: "8888"',
        '    gives: [phone]',
        '    expect: { says: $t1 }',
        '  - button: 评价',
        '  - pick: 2',
        'end:',
        '  rated: 5',
      ].join('\n'),
      'stories/ticket-status.yaml',
    );
    expect(story.id).toBe('ticket-status');
    expect(story.locale).toBe('zh-CN');
    expect(story.setup?.tickets[0]).toMatchObject({ phone: '13612348888', status: 'new' });
    expect(story.turns).toEqual([
      { kind: 'text', text: '查下工单 $t1', gives: [], expect: undefined },
      { kind: 'text', text: '8888', gives: ['phone'], expect: { says: ['$t1'] } },
      { kind: 'button', label: '评价', gives: [], expect: undefined },
      { kind: 'pick', index: 2, gives: [], expect: undefined },
    ]);
    expect(story.end).toEqual({ rated: 5, handoff: false });
  });

  test.each([
    ['turns:\n  - text: 你好\n    button: 报修\nname: x', 'x.yaml:2: turns[0]: a turn is exactly one of text, button or pick'],
    ['name: x\nturns:\n  - 你好\nend:\n  tickets: true', 'x.yaml:5: end.tickets: unknown field (tickets)'],
    ['name: x\nturns:\n  - text: 查 $t9', 'x.yaml:3: turns[0]: $t9 is no ticket of setup.tickets'],
    ['name: x\nturns:\n  - text: 你好\n    gives: [hobby]', 'x.yaml:4: turns[0].gives[0]'],
    ['name: x\nturns: [', 'x.yaml:2: not valid YAML'],
  ])('a mistake is told at its line: %s', (source, message) => {
    expect(() => parseStory(source, 'x.yaml')).toThrow(StoryFileError);
    expect(() => parseStory(source, 'x.yaml')).toThrow(message);
  });
});
