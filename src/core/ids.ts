/**
 * Sandbox id blocks. Sandbox number `n` owns ids `[blockStart(n), blockStart(n) + BLOCK_SIZE)`,
 * so ids never collide across sandboxes, and the same sandbox generated on a fresh database
 * gets the same ids. Rows created later through the API draw from the same block.
 */
export const BLOCK_SIZE = 1_000_000;
const FIRST_BLOCK = 4_000_000;

export function blockStart(sandboxNumber: number): number {
  return FIRST_BLOCK + sandboxNumber * BLOCK_SIZE;
}

/** Hands out consecutive ids from a start value; the seed uses one per sandbox. */
export class IdAllocator {
  #next: number;
  constructor(start: number) {
    this.#next = start;
  }
  next(): number {
    return this.#next++;
  }
  get peek(): number {
    return this.#next;
  }
}
