import { QQError } from '../../errors.js';
import { pyType, type Reader } from '../reader.js';

/** The `task_info` mapping of array tasks (qq dev). */
export interface TaskInfo {
  arrayFile: string;
  taskNumber: number;
  totalTasks: number;
}

/** `task_info` with the messages of qq dev's `TaskInfo(**data)`. */
export function readTaskInfo(r: Reader, v: unknown): TaskInfo {
  if (!(v instanceof Map)) {
    throw r.invalid(`Field 'task_info' must be a dict, got ${pyType(v)}`);
  }
  const arrayFile = v.get('array_file');
  const taskNumber = v.get('task_number');
  const totalTasks = v.get('total_tasks');
  if (typeof arrayFile !== 'string') {
    throw new QQError(`Field 'array_file' must be a str or Path, got ${pyType(arrayFile)}.`);
  }
  if (typeof taskNumber !== 'number' || !Number.isSafeInteger(taskNumber)) {
    throw new QQError(`Field 'task_number' must be an int, got ${pyType(taskNumber)}.`);
  }
  if (typeof totalTasks !== 'number' || !Number.isSafeInteger(totalTasks)) {
    throw new QQError(`Field 'total_tasks' must be an int, got ${pyType(totalTasks)}.`);
  }
  return { arrayFile, taskNumber, totalTasks };
}
