// BEST_PRACTICES § Task Design → Keep Tasks Small and Focused.
// Three single-purpose tasks chained: a failed step is retried alone, not the whole signup.
import { chain, type AsyncResult, type Turbine } from '../src/index.js';

export interface UserData {
  name: string;
  email: string;
}

export async function signUpUser(app: Turbine, userData: UserData, queue = 'default') {
  // In-memory stand-ins for the users table, the profiles table and the mail server.
  const users = new Map<number, UserData>();
  const profiles: number[] = [];
  const sentEmails: string[] = [];

  const createUser = app.task('create_user', { queue }, async (data: UserData) => {
    const id = users.size + 1;
    users.set(id, data);
    return id;
  });
  const sendWelcomeEmail = app.task('send_welcome_email', { queue }, async (userId: number) => {
    sentEmails.push(`${users.get(userId)!.email}: Welcome!`);
    return userId; // a chain prepends each result to the next step's arguments
  });
  const createProfile = app.task('create_profile', { queue }, async (userId: number) => {
    profiles.push(userId);
    return { userId };
  });

  const worker = app.worker({ queues: [queue] });
  await worker.start();
  try {
    const workflow = chain(createUser.s(userData), sendWelcomeEmail.s(), createProfile.s());
    const last = (await workflow.delay()) as AsyncResult<{ userId: number }>;
    const profile = await last.get({ timeout: '10s' });
    return { profile, users: [...users.values()], sentEmails, profiles };
  } finally {
    await worker.stop();
  }
}
