import { workspaceProject } from '../../vitest.project';

export default workspaceProject('server');
