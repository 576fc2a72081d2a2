// EventBridge Scheduler has no emulator: this stand-in speaks its REST-JSON protocol on 127.0.0.1 for the
// three calls tidings makes (CreateSchedule, UpdateSchedule, DeleteSchedule), keeps the schedules it was
// given the way the service does (a second create is a 409 ConflictException, a missing one a 404
// ResourceNotFoundException), and records every call. The real SDK client builds, signs and parses them.
import type { ServerResponse } from 'node:http';
import { type StandInHandler, useStandIn } from './stand-ins.ts';

/** One call as the service received it. */
export interface SchedulerCall {
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly name: string;
  readonly group: string;
  /** The JSON body (create and update); `{}` for a delete. */
  readonly body: Record<string, unknown>;
}

/** What the stand-in holds: the schedules by `group/name`, and every call in order. */
export interface SchedulerState {
  readonly schedules: Map<string, Record<string, unknown>>;
  readonly calls: SchedulerCall[];
}

function fail(res: ServerResponse, status: number, type: string, message: string): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-amzn-errortype', type);
  res.end(JSON.stringify({ Message: message }));
}

/** The stand-in's handler over `state`. */
export function schedulerHandler(state: SchedulerState): StandInHandler {
  return (req, text, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    const method = req.method as SchedulerCall['method'];
    if (!match?.[1] || !['POST', 'PUT', 'DELETE'].includes(method)) {
      fail(res, 400, 'ValidationException', `unexpected ${req.method} ${url.pathname}`);
      return;
    }
    const name = decodeURIComponent(match[1]);
    const body = method === 'DELETE' ? {} : (JSON.parse(text) as Record<string, unknown>);
    const group =
      method === 'DELETE'
        ? (url.searchParams.get('groupName') ?? 'default')
        : String(body.GroupName ?? 'default');
    state.calls.push({ method, name, group, body });
    const key = `${group}/${name}`;
    const exists = state.schedules.has(key);
    if (method === 'POST' && exists)
      return fail(res, 409, 'ConflictException', `Schedule ${name} already exists.`);
    if (method !== 'POST' && !exists)
      return fail(res, 404, 'ResourceNotFoundException', `Schedule ${name} does not exist.`);
    if (method === 'DELETE') state.schedules.delete(key);
    else state.schedules.set(key, body);
    res.setHeader('content-type', 'application/json');
    res.end(
      method === 'DELETE'
        ? '{}'
        : JSON.stringify({ ScheduleArn: `arn:aws:scheduler:eu-west-1:123456789012:schedule/${key}` }),
    );
  };
}

/** A Scheduler stand-in for one test file; `state` is emptied by `reset()`. */
export function useSchedulerStandIn(): {
  readonly url: () => string;
  readonly state: SchedulerState;
  reset(): void;
} {
  const state: SchedulerState = { schedules: new Map(), calls: [] };
  const url = useStandIn(schedulerHandler(state));
  return {
    url,
    state,
    reset() {
      state.schedules.clear();
      state.calls.length = 0;
    },
  };
}
