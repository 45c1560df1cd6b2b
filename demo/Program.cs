using Puma.Demo;

return await DemoApp.RunAsync(args);
