import { describeConcurrentWrites } from '../concurrent-writes';
import { startStack, type Stack } from '../stack';

describe('on SQLite', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ residents: 400, seed: 13 });
  });
  afterAll(() => stack.stop());

  describeConcurrentWrites(() => stack);
});
