import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRequest } from '@urql/core';
import type { DocumentNode } from 'graphql';
import { makeFetchBody } from '@urql/core/internal';
import { describe, expect, it } from 'vitest';
import {
  ConfigurationDocument,
  ResetConfigurationDocument,
  SelectOptionDocument,
  SetDestinationDocument,
  SetNumberDocument,
  StartConfigurationDocument,
} from '../../gql/graphql';
import { orderEventsQuery } from '../order/useOrderEvents';

// The Go load generator (tools/loadgen, `make bench`) sends the SPA's own configure operations.
// This test keeps its copy, tools/loadgen/spa_operations.json, equal to what urql puts in the
// request body for each of them (query text and operationName). After changing a fragment:
//   UPDATE_LOADGEN_OPERATIONS=1 npm test
const target = fileURLToPath(new URL('../../../../tools/loadgen/spa_operations.json', import.meta.url));

const documents: Record<string, DocumentNode> = {
  startConfiguration: StartConfigurationDocument,
  selectOption: SelectOptionDocument,
  setNumber: SetNumberDocument,
  resetConfiguration: ResetConfigurationDocument,
  configuration: ConfigurationDocument,
  setDestination: SetDestinationDocument,
};

function sent(): Record<string, { operationName: string; query: string }> {
  const out: Record<string, { operationName: string; query: string }> = {};
  for (const [field, doc] of Object.entries(documents)) {
    const body = makeFetchBody(createRequest(doc, {}));
    out[field] = { operationName: body.operationName ?? '', query: body.query ?? '' };
  }
  // The order timeline's subscription, as graphql-ws sends it: graph's Direct tests check the
  // server writes it itself (the fast path every subscriber of an order shares).
  out.orderEvents = { operationName: 'OrderEvents', query: orderEventsQuery };
  return out;
}

describe('load generator operations', () => {
  it('are the SPA configure operations as urql sends them', () => {
    const want = JSON.stringify(sent(), null, 2) + '\n';
    if (process.env.UPDATE_LOADGEN_OPERATIONS) writeFileSync(target, want);
    expect(readFileSync(target, 'utf8')).toBe(want);
  });
});
