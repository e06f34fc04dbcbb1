import { runDepartment } from '../run-department';
import { department } from './server';

void runDepartment(department);
